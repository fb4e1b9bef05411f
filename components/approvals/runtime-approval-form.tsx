"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/**
 * Approve or deny one agent call: a reason (required to deny) and two buttons, in one keyboard-usable form.
 * Approving asks first, naming what the agent will be allowed to do once.
 */
export function RuntimeApprovalForm({
  id,
  summary,
  action,
}: {
  id: string;
  summary: string;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    validate: (form) =>
      form.get("decision") === "deny" && !String(form.get("reason") ?? "").trim()
        ? { reason: ["Say why it is denied: the agent and the audit trail get the reason"] }
        : null,
    confirm: (form) =>
      form.get("decision") === "approve"
        ? {
            // Its own title: the agent's text (which may hold "? ") never decides where the question ends.
            title: `Approve ${summary}?`,
            details: "The agent may make this call once.",
            confirmLabel: "Approve",
            tone: "primary" as const,
          }
        : null,
  });
  const reasonId = `reason-${id}`;
  const error = state.fieldErrors?.reason;
  return (
    <form onSubmit={onSubmit} className="flex w-full flex-wrap items-start gap-2 sm:w-auto" noValidate>
      <div className="min-w-0 basis-full sm:w-64 sm:basis-auto">
        <label htmlFor={reasonId} className="sr-only">
          Reason
        </label>
        <Input
          id={reasonId}
          name="reason"
          maxLength={500}
          placeholder="Reason (required to deny)"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${reasonId}-error` : undefined}
        />
        {error ? (
          <p id={`${reasonId}-error`} className="mt-1 text-xs text-rose-700">
            {error.join("; ")}
          </p>
        ) : null}
      </div>
      <Button type="submit" name="decision" value="approve" disabled={pending}>
        Approve
      </Button>
      <Button type="submit" name="decision" value="deny" variant="secondary" disabled={pending}>
        Deny
      </Button>
      {state.ok ? null : <FormMessage state={state} className="basis-full" />}
      {dialog}
    </form>
  );
}
