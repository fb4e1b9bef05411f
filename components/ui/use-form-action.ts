"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionState } from "@/lib/http/action-result";

/**
 * A server action bound to a form without React's automatic form reset, so a rejected submission keeps what
 * the person typed next to the field errors. `confirm` (optional) can cancel the submission. After a rejected
 * submission, focus moves to the first field marked invalid (the field errors are linked to their fields).
 */
export function useFormAction<T>(
  action: (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>,
  confirm?: () => boolean,
) {
  const initial: ActionState<T> = { ok: true };
  const [state, dispatch, pending] = useActionState(action, initial);
  const form = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    if (state.ok || !form.current) return;
    form.current.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (confirm && !confirm()) return;
    form.current = e.currentTarget;
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return [state, onSubmit, pending] as const;
}
