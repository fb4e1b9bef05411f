"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-result";

/** The kill switch: asks for a reason, then confirms. */
export function SuspendControl({ action }: { action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, { ok: true });
  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        Suspend
      </Button>
    );
  }
  return (
    <form
      action={formAction}
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        if (!window.confirm("Suspend this agent? Every runtime call will be denied until it is resumed.")) e.preventDefault();
      }}
    >
      <div>
        <label htmlFor="suspend-reason" className="sr-only">
          Reason for suspending
        </label>
        <Input id="suspend-reason" name="reason" placeholder="Reason (required)" required autoFocus aria-invalid={!!state.fieldErrors?.reason} />
        {state.fieldErrors?.reason ? <p className="mt-1 text-xs text-rose-600">{state.fieldErrors.reason.join("; ")}</p> : null}
      </div>
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Suspending…" : "Suspend now"}
      </Button>
      <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </form>
  );
}
