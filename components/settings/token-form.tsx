"use client";

import { Button } from "@/components/ui/button";
import { ExpirySelect, Field, Input, Select } from "@/components/ui/field";
import { OwnPasswordField } from "@/components/ui/fresh-proof";
import { SecretOnce } from "@/components/ui/secret-once";
import { useFormAction } from "@/components/ui/use-form-action";
import type { SecretState } from "@/lib/http/action-result";

export function TokenForm({
  action,
  askPassword,
}: {
  action: (prev: SecretState, form: FormData) => Promise<SecretState>;
  /** Signed in too long ago to mint a token on the session alone (the server says so again if it changes meanwhile). */
  askPassword: boolean;
}) {
  // Cleared once the secret is issued: the next one gets a name of its own.
  const [state, onSubmit, pending] = useFormAction(action, { resetOnSuccess: true });
  const passwordError = state.fieldErrors?.currentPassword;
  return (
    <div className="space-y-3 p-4">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field label="Token name" htmlFor="token-name" error={state.fieldErrors?.name}>
            <Input id="token-name" name="name" placeholder="e.g. audit export script" required />
          </Field>
        </div>
        <Field label="Expires" htmlFor="token-expiry">
          <ExpirySelect id="token-expiry" days={[7, 30, 90, 365]} />
        </Field>
        <Field label="Access" htmlFor="token-scope">
          <Select id="token-scope" name="scope" defaultValue="">
            <option value="">everything your role allows</option>
            <option value="evals:write">CI: record eval results only</option>
            <option value="decisions:evaluate">Gateway: ask for decisions only (AuthZEN)</option>
          </Select>
        </Field>
        <OwnPasswordField
          id="token-password"
          label="Your password, to create the token"
          ask={askPassword}
          error={passwordError}
        />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      <SecretOnce state={state} title="Token created." testId="new-token" />
    </div>
  );
}
