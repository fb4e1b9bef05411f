"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { type ConfirmText, confirmRequest } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/** A status change that needs a reason and a confirmation: the kill switch (suspend) and retiring. */
export function ReasonControl({
  action,
  label,
  submitLabel,
  confirm,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  label: string;
  submitLabel: string;
  confirm: ConfirmText;
}) {
  const [open, setOpen] = useState(false);
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: confirmRequest(confirm, submitLabel, "danger"),
    validate: (form) => (String(form.get("reason") ?? "").trim() ? null : { reason: ["a reason is required"] }),
  });
  const id = `${label.toLowerCase()}-reason`;
  if (!open) {
    return (
      <Button variant="destructive" onClick={() => setOpen(true)}>
        {label}
      </Button>
    );
  }
  return (
    <form
      onSubmit={onSubmit}
      className="flex w-full flex-wrap items-start gap-2 sm:w-auto"
      aria-label={label}
      noValidate
    >
      <div className="min-w-0 flex-1 basis-48">
        <label htmlFor={id} className="sr-only">
          Reason to {label.toLowerCase()}
        </label>
        <Input
          id={id}
          name="reason"
          placeholder="Reason (required)"
          required
          autoFocus
          aria-invalid={!!state.fieldErrors?.reason}
          aria-describedby={state.fieldErrors?.reason ? `${id}-error` : undefined}
        />
        {state.fieldErrors?.reason ? (
          <p id={`${id}-error`} className="mt-1 text-xs text-rose-600">
            {state.fieldErrors.reason.join("; ")}
          </p>
        ) : null}
        {!state.ok && state.message && !state.fieldErrors ? (
          <p role="alert" className="mt-1 text-xs text-rose-600">
            {state.message}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="destructive" disabled={pending}>
        {pending ? "Working…" : submitLabel}
      </Button>
      <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {dialog}
    </form>
  );
}
