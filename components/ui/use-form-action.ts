"use client";

import { startTransition, useActionState, useEffect, useMemo, useRef, useState } from "react";
import type { ActionState } from "@/lib/http/action-result";
import { type ConfirmRequest, useConfirm } from "./confirm-dialog";

type FieldErrors = Record<string, string[]>;

export type FormActionOptions = {
  /**
   * Ask before submitting, in the styled dialog (components/ui/confirm-dialog.tsx). It opens only once the form's
   * own checks pass: its fields' constraints (required, type, min…) and `validate`.
   */
  confirm?: ConfirmRequest | ((form: FormData) => ConfirmRequest | null);
  /** Checks in the browser before anything is sent (or confirmed): errors per field, shown as the server's are. */
  validate?: (form: FormData) => FieldErrors | null | undefined;
  /** Empty the form after a successful submission (e.g. once a key is issued under the name typed). */
  resetOnSuccess?: boolean;
};

/** What a field's own constraints say about it, in the words the server uses ("required"), or null when valid. */
function constraintError(el: Element): string | null {
  if (
    !(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) ||
    !el.name ||
    el.disabled ||
    el.validity.valid
  )
    return null;
  return el.validity.valueMissing ? "required" : el.validationMessage;
}

/** The form's errors before submitting: `validate`'s, then each field's constraints (one message a field). */
function clientErrors(form: HTMLFormElement, data: FormData, validate?: FormActionOptions["validate"]) {
  const errors: FieldErrors = { ...(validate?.(data) ?? {}) };
  for (const el of Array.from(form.elements)) {
    const message = constraintError(el);
    const name = (el as HTMLInputElement).name;
    if (message && !errors[name]) errors[name] = [message];
  }
  return Object.keys(errors).length ? errors : null;
}

/**
 * A server action bound to a form without React's automatic form reset, so a rejected submission keeps what
 * the person typed next to the field errors. With `confirm` (or `validate`), the browser checks the form first and
 * shows its errors without sending it; only a valid form is confirmed, in a styled dialog, then sent. After a
 * rejected submission, focus moves to the first field marked invalid (the field errors are linked to their fields).
 * Render the returned `dialog` inside the form's component.
 */
export function useFormAction<T>(
  action: (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>,
  options: FormActionOptions = {},
) {
  const [initial] = useState<ActionState<T>>({ ok: true });
  const [state, dispatch, pending] = useActionState(action, initial);
  const [local, setLocal] = useState<FieldErrors | null>(null);
  const [ask, dialog] = useConfirm();
  const form = useRef<HTMLFormElement | null>(null);
  const shown = useMemo<ActionState<T>>(
    () => (local ? { ok: false, message: "Please fix the highlighted fields.", fieldErrors: local } : state),
    [local, state],
  );
  useEffect(() => {
    if (shown.ok || !form.current) return;
    form.current.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown]);
  const { resetOnSuccess } = options;
  useEffect(() => {
    if (resetOnSuccess && state.ok && state !== initial) form.current?.reset();
  }, [resetOnSuccess, state, initial]);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    form.current = el;
    // The button pressed is part of the form's data (e.g. name="decision" value="deny").
    const data = new FormData(el, (e.nativeEvent as SubmitEvent).submitter);
    const { confirm, validate } = options;
    const send = () => startTransition(() => dispatch(data));
    if (!confirm && !validate) return send();
    const errors = clientErrors(el, data, validate);
    setLocal(errors);
    if (errors) return;
    const request = typeof confirm === "function" ? confirm(data) : confirm;
    if (!request) return send();
    void ask(request).then((yes) => {
      if (yes) send();
    });
  };
  return [shown, onSubmit, pending, dialog] as const;
}
