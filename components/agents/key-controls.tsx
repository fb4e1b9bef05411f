"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ExpirySelect, Field, Input, Select } from "@/components/ui/field";
import { OwnPasswordField } from "@/components/ui/fresh-proof";
import { SecretOnce } from "@/components/ui/secret-once";
import { useFormAction } from "@/components/ui/use-form-action";
import type { KeyActionState } from "@/lib/http/action-result";

function IssuedKey({ state }: { state: KeyActionState }) {
  return <SecretOnce state={state} title={`Key “${state.data?.keyName}” issued.`} testId="new-agent-key" />;
}

export function IssueKeyForm({
  action,
  askPassword,
}: {
  action: (prev: KeyActionState, form: FormData) => Promise<KeyActionState>;
  /** Signed in too long ago to issue a key on the session alone (the server says so again if it changes meanwhile). */
  askPassword: boolean;
}) {
  // Cleared once the secret is issued: the next one gets a name of its own.
  const [state, onSubmit, pending] = useFormAction(action, { resetOnSuccess: true });
  return (
    <div className="space-y-3 border-b border-slate-100 p-4">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field label="Key name" htmlFor="key-name" error={state.fieldErrors?.name}>
            <Input id="key-name" name="name" placeholder="e.g. prod runtime" required />
          </Field>
        </div>
        <Field label="Expires" htmlFor="key-expiry">
          <ExpirySelect id="key-expiry" days={[30, 90, 365]} never />
        </Field>
        <OwnPasswordField
          id="key-password"
          label="Your password, to issue the key"
          ask={askPassword}
          error={state.fieldErrors?.currentPassword}
        />
        <Button type="submit" disabled={pending}>
          {pending ? "Issuing…" : "Issue key"}
        </Button>
      </form>
      <IssuedKey state={state} />
    </div>
  );
}

export function RotateKeyForm({
  action,
  keyId,
  name,
  askPassword,
}: {
  action: (prev: KeyActionState, form: FormData) => Promise<KeyActionState>;
  /** For the controls' ids: names need not be unique, and hold spaces. */
  keyId: string;
  name: string;
  askPassword: boolean;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  // Asked for the password, the row first offers "Rotate…", which opens the field: one field per key row would crowd
  // the table (and give password managers a field per row).
  const [confirming, setConfirming] = useState(false);
  const passwordError = state.fieldErrors?.currentPassword;
  const needPassword = askPassword || !!passwordError;
  return (
    <div className="space-y-2">
      <form onSubmit={onSubmit} className="flex flex-wrap items-center justify-end gap-2">
        <Select
          id={`grace-${keyId}`}
          name="graceMinutes"
          defaultValue="60"
          className="w-auto py-1 text-xs"
          aria-label={`Grace period for the old key ${name}`}
          title="How long the old key keeps working"
        >
          <option value="0">old key stops now</option>
          <option value="15">old key: 15 min</option>
          <option value="60">old key: 1 hour</option>
          <option value="1440">old key: 1 day</option>
        </Select>
        {needPassword && !confirming ? (
          <Button
            type="button"
            variant="secondary"
            onClick={() => setConfirming(true)}
            aria-label={`Rotate key ${name}`}
          >
            Rotate…
          </Button>
        ) : (
          <>
            {needPassword ? (
              <OwnPasswordField
                id={`rotate-password-${keyId}`}
                ask
                error={passwordError}
                label={`Your password, to rotate key ${name}`}
                compact
                autoFocus
              />
            ) : null}
            <Button type="submit" variant="secondary" disabled={pending} aria-label={`Rotate key ${name}`}>
              Rotate
            </Button>
          </>
        )}
      </form>
      <IssuedKey state={state} />
    </div>
  );
}
