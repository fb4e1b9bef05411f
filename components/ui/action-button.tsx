"use client";

import type { ActionState } from "@/lib/http/action-result";
import { Button, type ButtonVariant } from "./button";
import { type ConfirmRequest, type ConfirmText, confirmRequest } from "./confirm-dialog";
import { useFormAction } from "./use-form-action";

/**
 * A one-button form for a server action (delete, move…), optionally confirmed first in the styled dialog (a sentence
 * is split into question and details; its button says `label`, in red unless `confirm` says otherwise); shows the
 * error if it fails (or the action's message when it succeeds).
 */
export function ActionButton({
  action,
  children,
  label,
  confirm,
  variant = "ghost",
  className,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  children: React.ReactNode;
  label: string;
  confirm?: ConfirmText | ConfirmRequest;
  variant?: ButtonVariant;
  className?: string;
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: confirm === undefined || isRequest(confirm) ? confirm : confirmRequest(confirm, label),
  });
  return (
    <form onSubmit={onSubmit} className="inline">
      <Button type="submit" variant={variant} disabled={pending} aria-label={label} title={label} className={className}>
        {children}
      </Button>
      {dialog}
      {!state.ok && state.message ? (
        <span role="alert" className="ml-1 text-xs text-rose-600">
          {state.message}
        </span>
      ) : state.ok && state.message ? (
        <span role="status" className="ml-2 text-xs text-emerald-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

const isRequest = (c: ConfirmText | ConfirmRequest): c is ConfirmRequest => typeof c === "object" && "title" in c;
