"use client";

import { startTransition, useActionState } from "react";

/**
 * A server action bound to a form without React's automatic form reset, so a rejected submission keeps what
 * the person typed next to the field errors. `confirm` (optional) can cancel the submission.
 */
export function useFormAction<S extends object>(
  action: (prev: S, form: FormData) => Promise<S>,
  initial: S,
  confirm?: () => boolean,
) {
  const [state, dispatch, pending] = useActionState(
    action as unknown as (prev: Awaited<S>, form: FormData) => Promise<Awaited<S>>,
    initial as Awaited<S>,
  );
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (confirm && !confirm()) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return [state as S, onSubmit, pending] as const;
}
