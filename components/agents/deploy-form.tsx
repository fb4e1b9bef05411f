"use client";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/** Deploy or roll back, after the diff from the live version has been shown above. */
export function DeployForm({ action, kind, versionNumber, needsApproval }: { action: (prev: ActionState, form: FormData) => Promise<ActionState>; kind: "deploy" | "rollback"; versionNumber: number; needsApproval: boolean }) {
  const verb = kind === "rollback" ? `Roll back to version ${versionNumber}` : `Deploy version ${versionNumber}`;
  const [state, onSubmit, pending] = useFormAction(action, { ok: true } as ActionState, () =>
    window.confirm(needsApproval ? `${verb}? This creates a request another admin must approve.` : `${verb}? Runtimes get it on their next config fetch.`),
  );
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
      <div className="min-w-72 flex-1">
        <Field label={kind === "rollback" ? "Reason (required for a rollback)" : "Reason"} htmlFor="reason" error={state.fieldErrors?.reason}>
          <Input id="reason" name="reason" required={kind === "rollback"} maxLength={1000} aria-invalid={!!state.fieldErrors?.reason} />
        </Field>
      </div>
      <Button type="submit" variant={kind === "rollback" ? "danger" : "primary"} disabled={pending}>
        {pending ? "Working…" : needsApproval ? `Request ${kind === "rollback" ? "rollback" : "deployment"}` : verb}
      </Button>
      {!state.ok && state.message && !state.fieldErrors ? <p className="w-full text-sm text-rose-600">{state.message}</p> : null}
    </form>
  );
}
