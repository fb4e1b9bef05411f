"use client";

import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
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
        <TextField
          label="Current password"
          id="pw-current"
          error={err.currentPassword}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <div className="w-56">
        <TextField
          label="New password"
          id="pw-new"
          error={err.newPassword}
          hint="At least 10 characters."
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
        />
      </div>
      <div className="w-56">
        <TextField
          label="New password again"
          id="pw-confirm"
          error={err.confirmPassword}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
        />
      </div>
      <Button type="submit" disabled={pending} className="mt-6">
        {pending ? "Saving…" : "Change password"}
      </Button>
      <FormMessage state={state} className="basis-full" />
    </form>
  );
}
