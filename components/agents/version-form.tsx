"use client";

import { Button, ButtonLink } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export type VersionDefaults = { model: string; fallbackModel: string; systemPrompt: string; tools: string; parameters: string; extra: string };

export function VersionForm({ action, defaults, models, cancelHref }: { action: (prev: ActionState, form: FormData) => Promise<ActionState>; defaults: VersionDefaults; models: string[]; cancelHref: string }) {
  const [state, onSubmit, pending] = useFormAction(action, { ok: true } as ActionState);
  const err = (k: string) => state.fieldErrors?.[k];
  const inv = (k: string) => (err(k) ? { "aria-invalid": true as const, "aria-describedby": `${k}-error` } : {});
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      {state.message && !state.ok ? (
        <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 sm:col-span-2">
          {state.message}
        </div>
      ) : null}
      <datalist id="known-models">
        {models.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <Field label="Model" htmlFor="model" error={err("model")}>
        <Input id="model" name="model" list="known-models" defaultValue={defaults.model} required {...inv("model")} />
      </Field>
      <Field label="Fallback model" htmlFor="fallbackModel" error={err("fallbackModel")} hint="Used when a budget degrades the agent.">
        <Input id="fallbackModel" name="fallbackModel" list="known-models" defaultValue={defaults.fallbackModel} {...inv("fallbackModel")} />
      </Field>
      <div className="sm:col-span-2">
        <Field label="System prompt" htmlFor="systemPrompt" error={err("systemPrompt")}>
          <Textarea id="systemPrompt" name="systemPrompt" rows={5} className="font-sans text-sm" defaultValue={defaults.systemPrompt} {...inv("systemPrompt")} />
        </Field>
      </div>
      <div className="sm:col-span-2">
        <Field label="Tools" htmlFor="tools" error={err("tools")} hint="One per line or comma-separated.">
          <Textarea id="tools" name="tools" rows={2} defaultValue={defaults.tools} {...inv("tools")} />
        </Field>
      </div>
      <Field label="Parameters (JSON)" htmlFor="parameters" error={err("parameters")}>
        <Textarea id="parameters" name="parameters" rows={4} defaultValue={defaults.parameters} {...inv("parameters")} />
      </Field>
      <Field label="Extra (JSON)" htmlFor="extra" error={err("extra")}>
        <Textarea id="extra" name="extra" rows={4} defaultValue={defaults.extra} {...inv("extra")} />
      </Field>
      <div className="sm:col-span-2">
        <Field label="Note" htmlFor="note" error={err("note")} hint="What changed and why, for the people reviewing it.">
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
