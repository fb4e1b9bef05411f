"use client";

import { type RefObject, startTransition, useActionState } from "react";
import { dateTime, money } from "@/components/format";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { microsToUsd } from "@/lib/domain/money";
import type { BudgetReplayState, ReplayState } from "@/lib/http/action-result";

const LABEL = { allow: "allowed", deny: "denied", approval: "needs approval", degrade: "fallback model" } as const;
const TONE: Record<keyof typeof LABEL, Tone> = { allow: "green", deny: "red", approval: "amber", degrade: "blue" };

type Replayed = ReplayState | BudgetReplayState;

/**
 * A form's "Preview impact" beside Save: the button that replays the form's draft (`preview`, a server action) and
 * the summary of what it found, or nothing when the form has no preview.
 */
export function useReplayPreview<S extends Replayed>(
  preview: ((prev: S, form: FormData) => Promise<S>) | undefined,
  form: RefObject<HTMLFormElement | null>,
  timeZone?: string,
) {
  const action = (preview ?? (async (s: S) => s)) as (prev: Awaited<S>, form: FormData) => Promise<S>;
  const [state, run, replaying] = useActionState<S, FormData>(action, { ok: true } as Awaited<S>);
  if (!preview) return { summary: null, button: null };
  return {
    summary: <ReplaySummary state={state} timeZone={timeZone} />,
    button: (
      <Button
        type="button"
        variant="secondary"
        disabled={replaying}
        onClick={() => form.current && startTransition(() => run(new FormData(form.current!)))}
      >
        {replaying ? "Replaying…" : "Preview impact (last 7 days)"}
      </Button>
    ),
  };
}

export const Outcome = ({ o }: { o: keyof typeof LABEL }) => <Badge tone={TONE[o]}>{LABEL[o]}</Badge>;

/**
 * What a draft rule or budget would have done to the recorded calls: the flips by transition, the top groups, and
 * for a budget when it would have run out.
 */
export function ReplaySummary({
  state,
  timeZone = "UTC",
}: {
  state: ReplayState | BudgetReplayState;
  timeZone?: string;
}) {
  if (!state.ok) return state.message ? <p className="text-sm text-rose-600">{state.message}</p> : null;
  const r = state.data;
  if (!r) return null;
  const days = Math.round((Date.parse(r.to) - Date.parse(r.from)) / 86_400_000);
  return (
    <section
      aria-label="Impact on recorded calls"
      className="space-y-2 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200"
      data-testid="replay"
    >
      <p role="status" className="text-slate-800">
        {r.changed === 0 ? (
          <>
            Over the last {days} days, none of the {r.decisions.toLocaleString("en-US")} recorded calls would be decided
            differently.
          </>
        ) : (
          <>
            Over the last {days} days,{" "}
            <strong>
              {r.changed.toLocaleString("en-US")} of {r.decisions.toLocaleString("en-US")} recorded calls
            </strong>{" "}
            would be decided differently ({money(microsToUsd(r.changedUsageMicros))} of recorded usage behind them).
          </>
        )}
      </p>
      {"exhausted" in r ? <RunsOut exhausted={r.exhausted} timeZone={timeZone} /> : null}
      {r.transitions.length ? (
        <ul className="flex flex-wrap gap-2">
          {r.transitions.map((t) => (
            <li
              key={`${t.from}-${t.to}`}
              className="flex items-center gap-1 rounded bg-white px-2 py-1 ring-1 ring-slate-200"
            >
              <Outcome o={t.from} /> → <Outcome o={t.to} />
              <span className="tabular-nums">
                {t.calls.toLocaleString("en-US")} calls · {money(microsToUsd(t.usageMicros))}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {r.groups.length ? (
        <div className="overflow-x-auto">
          <table className="w-full text-xs">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 pr-2 font-medium">Action</th>
                <th className="pr-2 font-medium">Resource</th>
                <th className="pr-2 font-medium">Change</th>
                <th className="pr-2 text-right font-medium">Calls</th>
                <th className="pr-2 text-right font-medium">Usage</th>
                <th className="hidden font-medium sm:table-cell">Example decision</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {r.groups.slice(0, 10).map((g) => (
                <tr key={`${g.action}-${g.resource}-${g.from}-${g.to}`}>
                  <td className="py-1 pr-2 font-mono">{g.action}</td>
                  <td className="max-w-48 truncate pr-2 font-mono" title={g.resource}>
                    {g.resource}
                  </td>
                  <td className="whitespace-nowrap pr-2">
                    {LABEL[g.from]} → {LABEL[g.to]}
                  </td>
                  <td className="pr-2 text-right tabular-nums">{g.calls.toLocaleString("en-US")}</td>
                  <td className="pr-2 text-right tabular-nums">{money(microsToUsd(g.usageMicros))}</td>
                  <td className="hidden font-mono text-slate-500 sm:table-cell">{g.examples[0]?.slice(0, 13)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.groups.length + r.moreGroups > 10 ? (
            <p className="mt-1 text-xs text-slate-500">
              and {(r.groups.length + r.moreGroups - 10).toLocaleString("en-US")} more groups (the API lists 50).
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function RunsOut({
  exhausted,
  timeZone,
}: {
  exhausted: { current: { at: string }[]; draft: { at: string }[] };
  timeZone: string;
}) {
  const say = (runs: { at: string }[]) =>
    runs.length
      ? `ran out in ${runs.length} period${runs.length === 1 ? "" : "s"}, first at ${dateTime(runs[0].at, timeZone)}`
      : "never ran out";
  return (
    <p className="text-slate-700" data-testid="replay-exhausted">
      With the draft the budget {say(exhausted.draft)}; as it stands it {say(exhausted.current)}.
    </p>
  );
}
