"use client";

import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export function WebhookTestButton({
  action,
  name,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  name: string;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      {state.message ? (
        <span
          role={state.ok ? "status" : "alert"}
          className={state.ok ? "text-xs text-emerald-700" : "text-xs text-rose-600"}
        >
          {state.message}
        </span>
      ) : null}
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Send test event to ${name}`}>
        {pending ? "Sending…" : "Send test event"}
      </Button>
    </form>
  );
}
