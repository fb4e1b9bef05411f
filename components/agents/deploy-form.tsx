"use client";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/** Deploy or roll back, after the diff from the live version has been shown above. */
export function DeployForm({
  action,
  kind,
  versionNumber,
  needsApproval,
  gateFailures = [],
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  kind: "deploy" | "rollback";
  versionNumber: number;
  needsApproval: boolean;
  gateFailures?: string[];
}) {
  const gated = gateFailures.length > 0;
  const verb = kind === "rollback" ? `Roll back to version ${versionNumber}` : `Deploy version ${versionNumber}`;
  const submitLabel = needsApproval ? `Request ${kind === "rollback" ? "rollback" : "deployment"}` : verb;
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    // The reason is checked before anything is asked: a rollback without one gets the field error, not a dialog.
    validate: (form) =>
      kind === "rollback" && !String(form.get("reason") ?? "").trim() ? { reason: ["required for a rollback"] } : null,
    confirm: {
      title: `${verb}?`,
      details: needsApproval
        ? "This creates a request another admin must approve."
        : "Runtimes get it on their next config fetch.",
      confirmLabel: submitLabel,
      tone: kind === "rollback" ? "danger" : "primary",
    },
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate aria-label={verb}>
      {gated ? (
        <div role="alert" className="w-full rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <p className="font-medium">Deployment gate: {gateFailures.join("; ")}.</p>
          <label className="mt-2 inline-flex items-center gap-2">
            <input type="checkbox" name="overrideGates" className="rounded border-amber-400" />
            Override the gate (admins only; needs a reason; recorded in the audit trail as an override)
          </label>
        </div>
      ) : null}
      <div className="min-w-72 flex-1">
        <Field
          label={
            kind === "rollback"
              ? "Reason (required for a rollback)"
              : gated
                ? "Reason (required to override)"
                : "Reason"
          }
          htmlFor="reason"
          error={state.fieldErrors?.reason}
        >
          <Input
            id="reason"
            name="reason"
            required={kind === "rollback"}
            maxLength={1000}
            aria-invalid={!!state.fieldErrors?.reason}
          />
        </Field>
      </div>
      <Button type="submit" variant={kind === "rollback" ? "destructive" : "primary"} disabled={pending}>
        {pending ? "Working…" : submitLabel}
      </Button>
      {dialog}
      {!state.ok && state.message && !state.fieldErrors ? (
        <p className="w-full text-sm text-rose-600">{state.message}</p>
      ) : null}
    </form>
  );
}
