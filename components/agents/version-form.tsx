"use client";

import { Button, ButtonLink } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";
import { type ConfigDefaults, ConfigFields } from "./config-fields";

export function VersionForm({
  action,
  defaults,
  models,
  cancelHref,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  defaults: ConfigDefaults;
  models: string[];
  cancelHref: string;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = (k: string) => state.fieldErrors?.[k];
  const inv = (k: string) => (err(k) ? { "aria-invalid": true as const, "aria-describedby": `${k}-error` } : {});
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      {state.message && !state.ok ? (
        <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 sm:col-span-2">
          {state.message}
        </div>
      ) : null}
      <ConfigFields defaults={defaults} models={models} errors={state.fieldErrors} />
      <div className="sm:col-span-2">
        <Field
          label="Note"
          htmlFor="note"
          error={err("note")}
          hint="What changed and why, for the people reviewing it."
        >
          <Input id="note" name="note" maxLength={500} {...inv("note")} />
        </Field>
      </div>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create version"}
        </Button>
        <ButtonLink href={cancelHref} variant="secondary">
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}
