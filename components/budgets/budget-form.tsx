"use client";

import { useRef, useState } from "react";
import { useReplayPreview } from "@/components/permissions/replay-summary";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field, Input, Select, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState, BudgetReplayState } from "@/lib/http/action-result";

type Option = { id: string; label: string };

/**
 * Create (scope and target chosen here) or edit (scope fixed) a budget. `scopes` lists what this person may
 * create: team leads get agent and team scopes for their own teams only.
 */
export function BudgetForm({
  action,
  scopes,
  agents = [],
  teams = [],
  initial,
  submitLabel,
  preview,
  timeZone,
  cancelHref,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  /** Replays the draft against the recorded calls of the agents it covers, shown beside Save. */
  preview?: (prev: BudgetReplayState, form: FormData) => Promise<BudgetReplayState>;
  timeZone?: string;
  scopes?: ("agent" | "team" | "org")[];
  agents?: Option[];
  teams?: Option[];
  initial?: {
    name?: string;
    scope?: "agent" | "team" | "org";
    agentId?: string;
    teamId?: string;
    period?: string;
    limitUsd?: number;
    thresholds?: number[];
    hardAction?: string;
  };
  submitLabel: string;
  /** Where Cancel goes (a new budget's form); without it, no Cancel. */
  cancelHref?: string;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const [scope, setScope] = useState(initial?.scope ?? scopes?.[0] ?? "agent");
  const form = useRef<HTMLFormElement>(null);
  const replay = useReplayPreview(preview, form, timeZone);
  const err = state.fieldErrors ?? {};
  // Errors for single thresholds come keyed by index (thresholds.1): show them on the one field.
  const thresholdErrors = [
    ...new Set(Object.entries(err).flatMap(([k, v]) => (k === "thresholds" || k.startsWith("thresholds.") ? v : []))),
  ];
  return (
    <form ref={form} onSubmit={onSubmit} className="max-w-2xl space-y-4" aria-label={submitLabel}>
      {scopes ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Applies to" htmlFor="budget-scope" error={err.scope}>
            <Select
              id="budget-scope"
              name="scope"
              value={scope}
              onChange={(e) => setScope(e.target.value as typeof scope)}
            >
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {s === "org" ? "the whole organisation" : s === "team" ? "a team" : "one agent"}
                </option>
              ))}
            </Select>
          </Field>
          {scope === "agent" ? (
            <Field label="Agent" htmlFor="budget-agent" error={err.agentId}>
              <Select id="budget-agent" name="agentId" defaultValue={initial?.agentId} required>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : scope === "team" ? (
            <Field label="Team" htmlFor="budget-team" error={err.teamId}>
              <Select id="budget-team" name="teamId" defaultValue={initial?.teamId} required>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
        </div>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="sm:col-span-3">
          <TextField
            label="Name"
            id="budget-name"
            error={err.name}
            name="name"
            defaultValue={initial?.name}
            placeholder="e.g. Support team monthly"
            required
          />
        </div>
        <Field
          label="Period"
          htmlFor="budget-period"
          error={err.period}
          hint="Starts at midnight in the organisation time zone; weeks start on Monday."
        >
          <Select id="budget-period" name="period" defaultValue={initial?.period ?? "month"}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </Select>
        </Field>
        <TextField
          label="Limit (USD)"
          id="budget-limit"
          error={err.limitUsd}
          name="limitUsd"
          type="number"
          min="0.01"
          step="0.01"
          defaultValue={initial?.limitUsd}
          required
        />
        <Field
          label="When exhausted"
          htmlFor="budget-action"
          error={err.hardAction}
          hint="block: deny · degrade: fallback model · notify: alert only"
        >
          <Select id="budget-action" name="hardAction" defaultValue={initial?.hardAction ?? "block"}>
            <option value="block">block</option>
            <option value="degrade">degrade</option>
            <option value="notify">notify</option>
          </Select>
        </Field>
        <div className="sm:col-span-3">
          <Field
            label="Alert thresholds (% of the limit)"
            htmlFor="budget-thresholds"
            error={thresholdErrors.length ? thresholdErrors : undefined}
            hint="Comma-separated, e.g. 50, 80, 100. Each fires once per period."
          >
            <Input
              id="budget-thresholds"
              name="thresholds"
              defaultValue={(initial?.thresholds ?? [50, 80, 100]).join(", ")}
              aria-invalid={thresholdErrors.length > 0}
            />
          </Field>
        </div>
      </div>
      <FormMessage state={state} />
      {replay.summary}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {cancelHref ? (
          <ButtonLink href={cancelHref} variant="secondary">
            Cancel
          </ButtonLink>
        ) : null}
        {replay.button}
      </div>
    </form>
  );
}
