"use client";

import { useState } from "react";
import { useFormAction } from "@/components/ui/use-form-action";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-result";

/** The kill switch: asks for a reason, then confirms. */
export function SuspendControl({ action }: { action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const [open, setOpen] = useState(false);
  const [state, onSubmit, pending] = useFormAction(action, { ok: true } as ActionState, () =>
    window.confirm("Suspend this agent? Every runtime call will be denied until it is resumed."),
  );
  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        Suspend
      </Button>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-2">
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
