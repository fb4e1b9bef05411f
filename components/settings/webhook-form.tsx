"use client";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { OwnPasswordField } from "@/components/ui/fresh-proof";
import { SecretOnce } from "@/components/ui/secret-once";
import { useFormAction } from "@/components/ui/use-form-action";
import type { SecretState } from "@/lib/http/action-result";

export function WebhookForm({
  action,
  askPassword,
}: {
  action: (prev: SecretState, form: FormData) => Promise<SecretState>;
  /** Signed in too long ago to add an endpoint on the session alone (lib/domain/users/fresh-proof.ts). */
  askPassword: boolean;
}) {
  // Cleared once the secret is issued: the next one gets a name of its own.
  const [state, onSubmit, pending] = useFormAction(action, { resetOnSuccess: true });
  return (
    <div className="space-y-3 border-b border-slate-100 p-4">
      <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-3" aria-label="Add webhook endpoint">
        <div className="w-56">
          <Field label="Endpoint name" htmlFor="webhook-name" error={state.fieldErrors?.name}>
            <Input id="webhook-name" name="name" placeholder="e.g. Slack relay" required />
          </Field>
        </div>
        <div className="min-w-72 flex-1">
          <Field label="URL" htmlFor="webhook-url" error={state.fieldErrors?.url}>
            <Input
              id="webhook-url"
              name="url"
              type="url"
              placeholder="https://hooks.example.com/acp"
              required
              aria-invalid={!!state.fieldErrors?.url}
            />
          </Field>
        </div>
        <OwnPasswordField
          id="webhook-password"
          label="Your password, to add the endpoint"
          ask={askPassword}
          error={state.fieldErrors?.currentPassword}
        />
        <Button type="submit" disabled={pending} className="mt-6">
          {pending ? "Adding…" : "Add endpoint"}
        </Button>
      </form>
      <SecretOnce state={state} title="Endpoint added. Its signing secret:" testId="new-webhook-secret" />
    </div>
  );
}
