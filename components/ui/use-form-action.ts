"use client";

import { startTransition, useActionState } from "react";
import type { ActionState } from "@/lib/http/action-result";

/**
 * A server action bound to a form without React's automatic form reset, so a rejected submission keeps what
 * the person typed next to the field errors. `confirm` (optional) can cancel the submission.
 */
export function useFormAction<T>(
  action: (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>,
  confirm?: () => boolean,
) {
  const initial: ActionState<T> = { ok: true };
  const [state, dispatch, pending] = useActionState(action, initial);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (confirm && !confirm()) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return [state, onSubmit, pending] as const;
}
