"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { dateTime, usdExact } from "@/components/format";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, Select, TextField } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { useFormAction } from "@/components/ui/use-form-action";
import type { CanaryComparison, CanaryView } from "@/lib/domain/canaries/schemas";
import type { ActionState } from "@/lib/http/action-result";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;
export type CanaryActions = { start: Act; promote: Act; rollback: Act };

const ENDED = {
  promoted: { tone: "green", label: "promoted" },
  rolled_back: { tone: "red", label: "rolled back" },
  aborted: { tone: "gray", label: "ended by a deployment" },
  running: { tone: "blue", label: "running" },
} as const;

const pct = (r: number | null) => (r == null ? "—" : `${(r * 100).toFixed(1)} %`);

/**
 * The Versions tab's canary: a running one against stable, live (refreshed every 5 s), with Promote and Roll back for
 * admins; else the last one's outcome and, for admins, a form to start one.
 */
export function CanaryCard({
  canary,
  candidates,
  stableVersion,
  actions,
  fourEyes,
  timeZone,
  outcomeTypes = [],
}: {
  canary: CanaryView | null;
  /** The environment requires a second admin to put a version live: no canary is started alone there. */
  fourEyes: boolean;
  timeZone: string;
  /** Versions that can be tried (not the deployed one). */
  candidates: number[];
  stableVersion: number | null;
  actions?: CanaryActions;
  /** The outcome types the agent reports: a canary may also be guarded on cost per success of one. */
  outcomeTypes?: string[];
}) {
  const router = useRouter();
  const running = canary?.status === "running";
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => router.refresh(), 5000);
    return () => clearInterval(t);
  }, [running, router]);
  return (
    <Card>
      <CardHeader
        title="Canary"
        description="Try a version on a share of the traffic before everyone gets it: each routing key (session, user or task) always gets the same version, and the guard rolls the canary back on its own when it regresses."
      />
      {canary ? (
        <div className="space-y-3 p-4" data-testid="canary">
          <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
            <Badge tone={ENDED[canary.status].tone}>{ENDED[canary.status].label}</Badge>
            <span>
              <strong>v{canary.versionNumber}</strong> on {canary.percent} % of routing keys beside v
              {canary.stableVersionNumber}, started {dateTime(canary.startedAt, timeZone)}
              {canary.endedAt ? `, ended ${dateTime(canary.endedAt, timeZone)}` : ""}.
            </span>
          </p>
          <p className="text-xs text-slate-500">
            Guard: rolled back when, over at least {canary.minCalls} calls on each side, cost per call rises more than{" "}
            {canary.maxCostIncreasePct} % or the error rate more than {canary.maxErrorRateIncreasePts} points
            {canary.outcomeGuard
              ? `; or when, over at least ${canary.outcomeGuard.minOutcomes} ${canary.outcomeGuard.outcomeType} outcomes on each side, cost per success rises more than ${canary.outcomeGuard.maxCostPerSuccessIncreasePct} %`
              : ""}
            .
          </p>
          {canary.endedReason ? (
            <p className={canary.status === "rolled_back" ? "text-sm text-rose-700" : "text-sm text-slate-600"}>
              {canary.endedReason}
            </p>
          ) : null}
          {canary.comparison ? <Comparison c={canary.comparison} live={running} /> : null}
          {running && actions ? (
            <div className="flex flex-wrap gap-2">
              <ActionButton
                action={actions.promote}
                label={`Promote v${canary.versionNumber}`}
                variant="primary"
                confirm={{
                  title: `Deploy v${canary.versionNumber} to everyone?`,
                  details: "The eval gates and four-eyes approval apply as for any deployment.",
                  confirmLabel: "Promote",
                  tone: "primary",
                }}
              >
                Promote v{canary.versionNumber}
              </ActionButton>
              <ActionButton
                action={actions.rollback}
                label="Roll back the canary"
                variant="destructive"
                confirm={`Roll the canary back? Every routing key gets v${canary.stableVersionNumber} again.`}
              >
                Roll back
              </ActionButton>
            </div>
          ) : null}
        </div>
      ) : null}
      {!running && actions ? (
        stableVersion === null ? (
          <p className="p-4 text-sm text-slate-500">Deploy a first version before trying another as a canary.</p>
        ) : candidates.length ? (
          <StartForm action={actions.start} candidates={candidates} fourEyes={fourEyes} outcomeTypes={outcomeTypes} />
        ) : (
          <p className="p-4 text-sm text-slate-500">Create another version to try it as a canary.</p>
        )
      ) : null}
      {!canary && !actions ? <p className="p-4 text-sm text-slate-500">No canary has run for this agent.</p> : null}
    </Card>
  );
}

function Comparison({ c, live }: { c: CanaryComparison; live: boolean }) {
  const rows = [
    { label: "canary", s: c.canary },
    { label: "stable", s: c.stable },
  ];
  return (
    <div className="space-y-1">
      <Table>
        <thead className="bg-slate-50">
          <tr>
            <Th>Side</Th>
            <Th className="text-right">Calls</Th>
            <Th className="text-right">Error rate</Th>
            <Th className="text-right">Cost per call</Th>
            <Th className="text-right">Avg latency</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="canary-comparison">
          {rows.map(({ label, s }) => (
            <tr key={label}>
              <Td>
                {label} <span className="text-slate-500">v{s.versionNumber}</span>
              </Td>
              <Td className="text-right tabular-nums">{s.calls.toLocaleString("en-US")}</Td>
              <Td className="text-right tabular-nums">{pct(s.errorRate)}</Td>
              <Td className="text-right tabular-nums">
                {s.costPerCallMicros == null ? "—" : usdExact(Math.round(s.costPerCallMicros))}
              </Td>
              <Td className="text-right tabular-nums">{s.avgLatencyMs == null ? "—" : `${s.avgLatencyMs} ms`}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="text-xs text-slate-500">
        {live
          ? "Live, from the usage each side reported since the start (refreshed every 5 s)."
          : "The figures it ended on."}
        {c.breach ? <span className="ml-1 font-medium text-rose-700">Guard breached: {c.breach}.</span> : null}
      </p>
    </div>
  );
}

function StartForm({
  action,
  candidates,
  fourEyes,
  outcomeTypes,
}: {
  action: Act;
  candidates: number[];
  fourEyes: boolean;
  outcomeTypes: string[];
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  return (
    <form onSubmit={onSubmit} aria-label="Start a canary" className="space-y-3 border-t border-slate-100 p-4">
      <div className="grid gap-3 sm:grid-cols-5">
        <Field label="Version" htmlFor="canary-version" error={err.versionNumber}>
          <Select id="canary-version" name="versionNumber" defaultValue={candidates[0]}>
            {candidates.map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </Select>
        </Field>
        <TextField
          label="Share of traffic (%)"
          id="canary-percent"
          name="percent"
          type="number"
          min={1}
          max={99}
          defaultValue={10}
          error={err.percent}
          required
        />
        <TextField
          label="Max cost per call rise (%)"
          id="canary-cost"
          name="maxCostIncreasePct"
          type="number"
          min={0}
          defaultValue={25}
          error={err.maxCostIncreasePct}
        />
        <TextField
          label="Max error rate rise (points)"
          id="canary-errors"
          name="maxErrorRateIncreasePts"
          type="number"
          min={0}
          step="0.1"
          defaultValue={2}
          error={err.maxErrorRateIncreasePts}
        />
        <TextField
          label="Judge after (calls each side)"
          id="canary-min"
          name="minCalls"
          type="number"
          min={1}
          defaultValue={50}
          error={err.minCalls}
        />
      </div>
      {outcomeTypes.length ? (
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Also guard cost per success of" htmlFor="canary-outcome" error={err.outcomeType}>
            <Select id="canary-outcome" name="outcomeType" defaultValue="">
              <option value="">no outcome guard</option>
              {outcomeTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </Select>
          </Field>
          <TextField
            label="Max cost per success rise (%)"
            id="canary-outcome-cost"
            name="maxCostPerSuccessIncreasePct"
            type="number"
            min={0}
            defaultValue={25}
            error={err.maxCostPerSuccessIncreasePct}
          />
          <TextField
            label="Judge after (outcomes each side)"
            id="canary-outcome-min"
            name="minOutcomes"
            type="number"
            min={1}
            defaultValue={20}
            error={err.minOutcomes}
          />
        </div>
      ) : null}
      <TextField
        label="Reason"
        id="canary-reason"
        name="reason"
        placeholder="What this version changes"
        error={err.reason}
      />
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={state.ok ? "text-sm text-emerald-700" : "text-sm text-rose-600"}
        >
          {state.message}
        </p>
      ) : null}
      {fourEyes ? (
        <p className="text-sm text-slate-500">
          This environment requires a second admin to put a version live: the canary starts when another admin approves
          your request.
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? (fourEyes ? "Requesting…" : "Starting…") : fourEyes ? "Request canary" : "Start canary"}
      </Button>
    </form>
  );
}
