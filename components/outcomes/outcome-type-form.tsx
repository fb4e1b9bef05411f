"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Select, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

type Option = { id: string; label: string };

/** Define an outcome type: its name agents report it by, its unit, its owner, value, and the agents that report it. */
export function OutcomeTypeForm({
  action,
  teams,
  agents,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  teams: Option[];
  agents: Option[];
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  const agentErrors = Object.entries(err).flatMap(([k, v]) => (k.startsWith("agentIds") ? v : []));
  // How many are ticked: the box scrolls, so the ones out of sight would otherwise go unnoticed. Read from the boxes
  // themselves: on each change, and when the list changes or the browser restores ticks without a change event.
  const [ticked, setTicked] = useState(0);
  const box = useRef<HTMLFieldSetElement>(null);
  const count = () => setTicked(box.current?.querySelectorAll("input[name=agentIds]:checked").length ?? 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recounted whenever the list of agents changes
  useLayoutEffect(count, [agents]);
  return (
    <form
      onSubmit={onSubmit}
      onReset={() => setTicked(0)}
      aria-label="Define an outcome type"
      className="space-y-4 p-4"
    >
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Name"
          id="outcome-name"
          name="name"
          placeholder="ticket.resolved"
          hint="Lower-case words joined by dots: the runtime reports it by this name, which never changes."
          error={err.name}
          required
        />
        <TextField label="Unit" id="outcome-unit" name="unit" placeholder="ticket" error={err.unit} required />
        <Field label="Owner team" htmlFor="outcome-owner" error={err.ownerTeamId}>
          <Select id="outcome-owner" name="ownerTeamId" defaultValue="">
            <option value="">none</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <TextField
        label="Description"
        id="outcome-description"
        name="description"
        placeholder="What counts as one, and who confirms it"
        error={err.description}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <fieldset
          ref={box}
          className="space-y-1"
          aria-describedby={agentErrors.length ? "outcome-agents-error" : "outcome-agents-hint"}
          onChange={count}
        >
          <legend className="block text-sm font-medium text-slate-700">Agents that report it</legend>
          {/* Checkboxes, not a multiple select: picking several needs no Ctrl-click, and works by touch. */}
          <div
            className={cn(
              "max-h-36 space-y-1 overflow-y-auto rounded-md bg-white p-2 ring-1 ring-inset",
              agentErrors.length ? "ring-rose-400" : "ring-slate-300",
            )}
          >
            {agents.length === 0 ? (
              <p className="text-sm text-slate-600">No agents yet.</p>
            ) : (
              agents.map((a) => (
                <label key={a.id} className="flex items-center gap-2 text-sm text-slate-800">
                  <input type="checkbox" name="agentIds" value={a.id} className="h-4 w-4 shrink-0" />
                  <span className="truncate">{a.label}</span>
                </label>
              ))
            )}
          </div>
          {agents.length > 0 && (
            <p aria-live="polite" className="text-xs font-medium text-slate-700">
              {ticked} of {agents.length} ticked
            </p>
          )}
          {agentErrors.length ? (
            <p id="outcome-agents-error" className="text-xs text-rose-700">
              {agentErrors.join("; ")}
            </p>
          ) : (
            <p id="outcome-agents-hint" className="text-xs text-slate-600">
              Only the agents ticked may report it; reports from any other are refused.
            </p>
          )}
        </fieldset>
        <div className="flex items-start gap-2 sm:col-span-3">
          <input id="outcome-value" name="hasValue" type="checkbox" className="mt-1 h-4 w-4" />
          <label htmlFor="outcome-value" className="text-sm text-slate-700">
            Carries a value in US dollars (a refund issued, a deal won): value per dollar is shown beside cost.
          </label>
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Budget per outcome (US$ per success)"
          id="outcome-max-cost"
          name="maxCostPerSuccessUsd"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          placeholder="none"
          hint="Alerts once per agent and period when its cost per success goes over (webhook outcome.cost_exceeded)."
          error={err.maxCostPerSuccessUsd}
        />
        <Field label="Over each" htmlFor="outcome-cost-period" error={err.costPeriod}>
          <Select id="outcome-cost-period" name="costPeriod" defaultValue="day">
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </Select>
        </Field>
      </div>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Defining…" : "Define outcome type"}
      </Button>
    </form>
  );
}
