"use client";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function AddTeamForm({ action }: { action: Action }) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-wrap items-start gap-3 border-b border-slate-100 p-4"
      aria-label="Add team"
    >
      <div className="w-64">
        <Field label="Team name" htmlFor="team-name" error={err.name}>
          <Input
            id="team-name"
            name="name"
            required
            maxLength={100}
            placeholder="e.g. Finance"
            aria-invalid={!!err.name}
          />
        </Field>
      </div>
      <div className="w-56">
        <Field label="Slug" htmlFor="team-slug" error={err.slug} hint="Stable id, used by SSO group mapping.">
          <Input
            id="team-slug"
            name="slug"
            required
            placeholder="e.g. finance"
            pattern="[a-z0-9][a-z0-9\-]{1,62}"
            aria-invalid={!!err.slug}
          />
        </Field>
      </div>
      <Button type="submit" disabled={pending} className="mt-6">
        {pending ? "Adding…" : "Add team"}
      </Button>
      <div className="mt-7 basis-full sm:basis-auto">
        <FormMessage state={state} className="text-xs" />
      </div>
    </form>
  );
}

export function RenameTeamForm({ action, name }: { action: Action; name: string }) {
  const [state, onSubmit, pending] = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2" aria-label={`Rename team ${name}`}>
      <Input
        name="name"
        defaultValue={name}
        required
        maxLength={100}
        aria-label={`New name for ${name}`}
        className="w-48"
        aria-invalid={!!state.fieldErrors?.name}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        Rename
      </Button>
      <FormMessage state={state.ok ? { ok: true } : state} className="text-xs" />
    </form>
  );
}
