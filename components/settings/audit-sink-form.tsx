"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { OwnPasswordField } from "@/components/ui/fresh-proof";
import { SecretOnce } from "@/components/ui/secret-once";
import { useFormAction } from "@/components/ui/use-form-action";
import type { SecretState } from "@/lib/http/action-result";

const PLACEHOLDER = {
  https: "https://siem.example.com/acp/audit",
  splunk_hec: "https://splunk.example.com:8088/services/collector/event",
  syslog: "tls://siem.example.com:6514",
} as const;

/** Adds a SIEM sink; an https sink's signing secret is shown once. */
export function AuditSinkForm({
  action,
  askPassword,
}: {
  action: (prev: SecretState, form: FormData) => Promise<SecretState>;
  /** Signed in too long ago to add a sink on the session alone (lib/domain/users/fresh-proof.ts). */
  askPassword: boolean;
}) {
  const [state, onSubmit, pending] = useFormAction(action, { resetOnSuccess: true });
  const [kind, setKind] = useState<keyof typeof PLACEHOLDER>("https");
  return (
    <div className="space-y-3 border-b border-slate-100 p-4">
      <form
        onSubmit={onSubmit}
        onReset={() => setKind("https")}
        className="flex flex-wrap items-start gap-3"
        aria-label="Add SIEM sink"
      >
        <div className="w-48">
          <Field label="Sink name" htmlFor="sink-name" error={state.fieldErrors?.name}>
            <Input id="sink-name" name="name" placeholder="e.g. Splunk (prod)" required />
          </Field>
        </div>
        <Field label="Kind" htmlFor="sink-kind" error={state.fieldErrors?.kind}>
          <Select
            id="sink-kind"
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as keyof typeof PLACEHOLDER)}
          >
            <option value="https">HTTPS NDJSON</option>
            <option value="splunk_hec">Splunk HEC</option>
            <option value="syslog">Syslog (RFC 5424)</option>
          </Select>
        </Field>
        <div className="min-w-64 flex-1">
          <Field label="Sink URL" htmlFor="sink-url" error={state.fieldErrors?.url}>
            <Input
              id="sink-url"
              name="url"
              placeholder={PLACEHOLDER[kind]}
              required
              aria-invalid={!!state.fieldErrors?.url}
            />
          </Field>
        </div>
        {kind === "splunk_hec" ? (
          <div className="w-56">
            <Field label="HEC token" htmlFor="sink-token" error={state.fieldErrors?.token}>
              <Input id="sink-token" name="token" type="password" autoComplete="new-password" required />
            </Field>
          </div>
        ) : null}
        <Field label="Start with" htmlFor="sink-start" error={state.fieldErrors?.startFrom}>
          <Select id="sink-start" name="startFrom" defaultValue="beginning">
            <option value="beginning">the whole retained trail</option>
            <option value="now">new events only</option>
          </Select>
        </Field>
        <OwnPasswordField
          id="sink-password"
          label="Your password, to add the sink"
          ask={askPassword}
          error={state.fieldErrors?.currentPassword}
        />
        <Button type="submit" disabled={pending} className="mt-6">
          {pending ? "Adding…" : "Add sink"}
        </Button>
      </form>
      {state.ok && state.message ? (
        <p role="status" className="text-sm text-emerald-700">
          {state.message}
        </p>
      ) : null}
      <SecretOnce state={state} title="Sink added. Its signing secret:" testId="new-sink-secret" />
    </div>
  );
}
