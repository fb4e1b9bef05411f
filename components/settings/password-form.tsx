"use client";

import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export function PasswordForm({ action }: { action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const form = useRef<HTMLFormElement>(null);
  const [state, onSubmit, pending] = useFormAction(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) form.current?.reset(); // passwords are not left in the page once saved
    return next;
  });
  const err = state.fieldErrors ?? {};
  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      className="flex flex-wrap items-start gap-3 p-4"
      aria-label="Change your password"
    >
      <div className="w-56">
        <Field label="Current password" htmlFor="pw-current" error={err.currentPassword}>
          <Input
            id="pw-current"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={!!err.currentPassword}
          />
        </Field>
      </div>
      <div className="w-56">
        <Field label="New password" htmlFor="pw-new" error={err.newPassword} hint="At least 10 characters.">
          <Input
            id="pw-new"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={!!err.newPassword}
          />
        </Field>
      </div>
      <div className="w-56">
        <Field label="New password again" htmlFor="pw-confirm" error={err.confirmPassword}>
          <Input
            id="pw-confirm"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={!!err.confirmPassword}
          />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending} className="mt-6">
        {pending ? "Saving…" : "Change password"}
      </Button>
      <FormMessage state={state} className="basis-full" />
    </form>
  );
}
