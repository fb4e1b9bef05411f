"use client";

import type { ActionState } from "@/lib/http/action-result";
import { Button, type ButtonVariant } from "./button";
import { useFormAction } from "./use-form-action";

/** A one-button form for a server action (delete, move…), optionally confirmed first; shows the error if it fails (or the action's message when it succeeds). */
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
  confirm?: string;
  variant?: ButtonVariant;
  className?: string;
}) {
  const [state, onSubmit, pending] = useFormAction(action, confirm ? () => window.confirm(confirm) : undefined);
  return (
    <form onSubmit={onSubmit} className="inline">
      <Button type="submit" variant={variant} disabled={pending} aria-label={label} title={label} className={className}>
        {children}
      </Button>
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
