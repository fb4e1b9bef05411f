"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export type RuleView = {
  id: string;
  position: number;
  effect: "allow" | "deny";
  action: string;
  resource: string;
  maxCostUsd: number | null;
  allowedHours: { from: string; to: string; timeZone?: string; days?: number[] } | null;
  requiresApproval: boolean;
  description: string;
};

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Add or edit one rule. `idPrefix` keeps ids unique when several forms are on the page. */
export function RuleForm({
  action,
  rule,
  idPrefix,
  submitLabel,
  onDone,
  onCancel,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  rule?: RuleView;
  idPrefix: string;
  submitLabel: string;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  const id = (f: string) => `${idPrefix}-${f}`;
  useEffect(() => {
    if (state.ok && state.message) onDone?.();
  }, [state, onDone]);
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label={submitLabel}>
      <div className="grid gap-3 sm:grid-cols-[8rem_1fr_1fr]">
        <Field label="Effect" htmlFor={id("effect")} error={err.effect}>
          <Select id={id("effect")} name="effect" defaultValue={rule?.effect ?? "allow"}>
            <option value="allow">allow</option>
            <option value="deny">deny</option>
          </Select>
        </Field>
        <Field
          label="Action"
          htmlFor={id("action")}
          error={err.action}
          hint="tool:invoke, data:read, model:use… (* and ? are wildcards)"
        >
          <Input
            id={id("action")}
            name="action"
            defaultValue={rule?.action}
            placeholder="tool:invoke"
            required
            aria-invalid={!!err.action}
            className="font-mono"
          />
        </Field>
        <Field
          label="Resource pattern"
          htmlFor={id("resource")}
          error={err.resource}
          hint="e.g. github.*, customers/*, gpt-5*"
        >
          <Input
            id={id("resource")}
            name="resource"
            defaultValue={rule?.resource}
            placeholder="github.*"
            required
            aria-invalid={!!err.resource}
            className="font-mono"
          />
        </Field>
      </div>
      <fieldset className="rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-xs font-medium text-slate-500">
          Conditions (optional; they narrow when an allow applies)
        </legend>
        <div className="grid gap-3 sm:grid-cols-4">
          <Field label="Max cost per call (USD)" htmlFor={id("maxcost")} error={err.maxCostPerCallUsd}>
            <Input
              id={id("maxcost")}
              name="maxCostPerCallUsd"
              type="number"
              min="0"
              step="0.0001"
              defaultValue={rule?.maxCostUsd ?? ""}
              placeholder="no limit"
              aria-invalid={!!err.maxCostPerCallUsd}
            />
          </Field>
          <Field label="Allowed from" htmlFor={id("from")} error={err["allowedHours.from"]}>
            <Input
              id={id("from")}
              name="hoursFrom"
              type="time"
              defaultValue={rule?.allowedHours?.from ?? ""}
              aria-invalid={!!err["allowedHours.from"]}
            />
          </Field>
          <Field label="until" htmlFor={id("to")} error={err["allowedHours.to"]}>
            <Input
              id={id("to")}
              name="hoursTo"
              type="time"
              defaultValue={rule?.allowedHours?.to ?? ""}
              aria-invalid={!!err["allowedHours.to"]}
            />
          </Field>
          <Field label="Time zone" htmlFor={id("tz")} error={err["allowedHours.timeZone"]}>
            <Input
              id={id("tz")}
              name="timeZone"
              defaultValue={rule?.allowedHours?.timeZone ?? "UTC"}
              placeholder="UTC"
              aria-invalid={!!err["allowedHours.timeZone"]}
            />
          </Field>
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <span className="text-slate-600">On days</span>
          {DAYS.map((d, i) => (
            <label key={d} className="inline-flex items-center gap-1">
              <input
                type="checkbox"
                name="days"
                value={i}
                defaultChecked={rule?.allowedHours?.days?.includes(i) ?? false}
                className="rounded border-slate-300"
              />
              {d}
            </label>
          ))}
          <span className="text-xs text-slate-500">(none ticked = every day)</span>
          <label className="ml-auto inline-flex items-center gap-2">
            <input
              type="checkbox"
              name="requiresApproval"
              defaultChecked={rule?.requiresApproval ?? false}
              className="rounded border-slate-300"
            />
            Requires a person&apos;s approval
          </label>
        </div>
      </fieldset>
      <Field label="Description" htmlFor={id("description")} error={err.description}>
        <Input
          id={id("description")}
          name="description"
          defaultValue={rule?.description}
          placeholder="Why this rule exists"
        />
      </Field>
      {state.message && !state.ok ? (
        <p role="alert" className="text-sm text-rose-600">
          {state.message}
        </p>
      ) : null}
      {state.ok && state.message && !onDone ? (
        <p role="status" className="text-sm text-emerald-700">
          {state.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
