"use client";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export function PriceForm({ action }: { action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = (k: string) => state.fieldErrors?.[k];
  return (
    <form
      onSubmit={onSubmit}
      className="grid gap-3 border-b border-slate-100 p-4 sm:grid-cols-3 xl:grid-cols-[1fr_1fr_0.8fr_0.8fr_0.8fr_minmax(13rem,1.4fr)_auto]"
      aria-label="Add a price"
      noValidate
    >
      <Field label="Provider" htmlFor="p-provider" error={err("provider")}>
        <Input id="p-provider" name="provider" placeholder="openai" required />
      </Field>
      <Field label="Model" htmlFor="p-model" error={err("model")}>
        <Input id="p-model" name="model" placeholder="gpt-5" required />
      </Field>
      <Field label="Input $/MTok" htmlFor="p-in" error={err("inputUsdPerMTok")}>
        <Input id="p-in" name="inputUsdPerMTok" type="number" step="any" min="0" required />
      </Field>
      <Field label="Cached $/MTok" htmlFor="p-cached" error={err("cachedInputUsdPerMTok")}>
        <Input id="p-cached" name="cachedInputUsdPerMTok" type="number" step="any" min="0" required />
      </Field>
      <Field label="Output $/MTok" htmlFor="p-out" error={err("outputUsdPerMTok")}>
        <Input id="p-out" name="outputUsdPerMTok" type="number" step="any" min="0" required />
      </Field>
      <Field label="Effective from (UTC)" htmlFor="p-from" error={err("effectiveFrom")}>
        <Input id="p-from" name="effectiveFrom" type="datetime-local" />
      </Field>
      <div className="flex items-end">
        <Button type="submit" disabled={pending} className="w-full">
          {pending ? "Saving…" : "Add price"}
        </Button>
      </div>
      {state.message ? (
        <p className={`text-sm col-span-full ${state.ok ? "text-emerald-700" : "text-rose-600"}`} role="status">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
