"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { SpendChart } from "@/components/charts/spend-chart";
import { fetchJson } from "@/components/fetch-json";
import { dateOnly, dateTime, money, moneyExact } from "@/components/format";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Input, Select } from "@/components/ui/field";
import { Money } from "@/components/ui/money";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import type { BreakdownView, SeriesView } from "@/lib/http/spend-views";
import {
  allowedBuckets,
  apiQuery,
  CALENDAR,
  correctSpendParams,
  defaultBucket,
  pageQuery,
  RANGES,
  type SpendParams,
} from "./spend-params";

type Option = { id: string; label: string };
const GROUPS = [
  { id: "agent", label: "Agent" },
  { id: "team", label: "Team" },
  { id: "model", label: "Model" },
  { id: "tool", label: "Tool" },
] as const;

const DOWNLOAD_LINK =
  "inline-flex items-center gap-1.5 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50";
const count = (v: number) => v.toLocaleString("en-US");
/** A cost, or "unpriced" when every call behind it was unpriced: the cost is unknown, never $0. */
function Cost({ usd, unpricedCalls }: { usd: number | null; unpricedCalls: number }) {
  if (usd === null)
    return (
      <span className="font-medium text-amber-700" title={`${count(unpricedCalls)} unpriced calls: cost unknown`}>
        unpriced
      </span>
    );
  const note = unpricedCalls
    ? ` · priced calls only: ${count(unpricedCalls)} unpriced calls not included (cost unknown)`
    : "";
  return <span title={`${moneyExact(usd)}${note}`}>{money(usd)}</span>;
}
/** "2026-10-26 20:00 – 2026-11-25 20:00 UTC" in the organisation's time zone (the same on server and browser). */
const rangeLabel = (from: string, to: string, timeZone: string) =>
  `${dateTime(from, timeZone).slice(0, 16)} – ${dateTime(to, timeZone)}`;

/**
 * The spend explorer: range, bucket, grouping and filters live in the URL (shareable); data comes from the
 * /api/v1/spend endpoints through react-query, starting from what the server rendered.
 */
export function SpendExplorer({
  initial,
  initialNotes,
  defaultGroup,
  timeZone,
  initialSeries,
  initialBreakdown,
  teams,
  agents,
}: {
  initial: SpendParams;
  initialNotes: string[];
  defaultGroup: SpendParams["groupBy"];
  timeZone: string;
  initialSeries?: SeriesView;
  initialBreakdown?: BreakdownView;
  teams: Option[];
  agents: Option[];
}) {
  const [now] = useState(() => new Date());
  // The URL is the state: filter changes push history entries, so Back and Forward step through them.
  const search = useSearchParams();
  const params = useMemo(
    () => correctSpendParams(Object.fromEntries(search.entries()), defaultGroup, timeZone, now).params,
    [search, defaultGroup, timeZone, now],
  );
  // What the last correction said, for the URL it produced (a corrected URL reads clean, so keep the note).
  const [adjusted, setAdjusted] = useState({ query: pageQuery(initial), notes: initialNotes });
  const notes = adjusted.query === pageQuery(params) ? adjusted.notes : [];
  useEffect(() => {
    // A hand-edited URL was corrected on the server: show the corrected one, without a new history entry.
    const corrected = pageQuery(initial);
    if (window.location.search.slice(1) !== corrected) window.history.replaceState(null, "", `/spend?${corrected}`);
  }, [initial]);

  const update = (patch: Partial<SpendParams>) => {
    const next = { ...params, ...patch };
    if (patch.range && patch.range !== "custom") {
      next.from = undefined;
      next.to = undefined;
      if (!patch.bucket) {
        const allowed = allowedBuckets(next, timeZone, now);
        next.bucket =
          defaultBucket(patch.range) === "hour" && allowed.includes("hour")
            ? "hour"
            : allowed.includes(next.bucket)
              ? next.bucket
              : (allowed[0] ?? "week");
      }
    }
    const raw = Object.fromEntries(new URLSearchParams(pageQuery(next)).entries());
    const corrected = correctSpendParams(raw, defaultGroup, timeZone, now);
    const query = pageQuery(corrected.params);
    setAdjusted({ query, notes: corrected.notes });
    if (query !== search.toString()) window.history.pushState(null, "", `/spend?${query}`);
  };
  const isInitial = pageQuery(params) === pageQuery(initial);
  const q = apiQuery(params, timeZone, now).toString();
  const series = useQuery({
    queryKey: ["spend", q],
    queryFn: () => fetchJson<SeriesView>(`/api/v1/spend?${q}`),
    initialData: isInitial ? initialSeries : undefined,
    placeholderData: keepPreviousData,
  });
  const breakdownQuery = new URLSearchParams(q);
  breakdownQuery.delete("bucket");
  const bq = breakdownQuery.toString();
  // The FOCUS export is per agent, model and day: the range and the team and agent filters apply, not the grouping.
  const focusQuery = new URLSearchParams(breakdownQuery);
  for (const k of ["groupBy", "model"]) focusQuery.delete(k);
  const table = useQuery({
    queryKey: ["spend-breakdown", bq],
    queryFn: () => fetchJson<BreakdownView>(`/api/v1/spend/breakdown?${bq}`),
    initialData: isInitial ? initialBreakdown : undefined,
    placeholderData: keepPreviousData,
  });
  const s = series.data;
  // Outcomes belong to agents and teams: their columns show when the table is grouped so.
  const withOutcomes = Boolean(table.data?.rows.some((r) => r.successes !== null));
  const groupLabel = GROUPS.find((g) => g.id === params.groupBy)!.label;

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-3" aria-label="Spend filters" onSubmit={(e) => e.preventDefault()}>
        <div role="group" aria-label="Range" className="flex flex-wrap gap-2">
          {[
            { id: "rolling", items: RANGES },
            { id: "calendar", items: CALENDAR },
            // A group of its own, so the calendar presets still fit one line on a phone.
            { id: "custom", items: [{ id: "custom", label: "Custom" }] },
          ].map((set) => (
            <div key={set.id} className="flex rounded-md shadow-xs ring-1 ring-slate-300">
              {set.items.map((r) => (
                <button
                  key={r.id}
                  type="button"
                  aria-pressed={params.range === r.id}
                  onClick={() =>
                    update(
                      r.id === "custom"
                        ? {
                            range: "custom",
                            from: dateOnly(s?.from ?? new Date(now.getTime() - 30 * 86_400_000), timeZone),
                            to: dateOnly(new Date(new Date(s?.to ?? now).getTime() - 1), timeZone),
                          }
                        : { range: r.id },
                    )
                  }
                  className={cn(
                    "whitespace-nowrap px-2.5 py-1.5 text-sm first:rounded-l-md last:rounded-r-md",
                    params.range === r.id ? "bg-slate-900 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
                  )}
                >
                  {r.label}
                </button>
              ))}
            </div>
          ))}
        </div>
        {params.range === "custom" ? (
          <>
            <label className="text-sm text-slate-600">
              From{" "}
              <Input
                type="date"
                className="inline-block w-auto"
                value={params.from ?? ""}
                onChange={(e) => e.target.value && update({ from: e.target.value })}
                aria-label="From date"
              />
            </label>
            <label className="text-sm text-slate-600">
              to{" "}
              <Input
                type="date"
                className="inline-block w-auto"
                value={params.to ?? ""}
                onChange={(e) => e.target.value && update({ to: e.target.value })}
                aria-label="To date"
              />
            </label>
          </>
        ) : null}
        <label className="text-sm text-slate-600">
          <span className="mr-1">Bucket</span>
          <Select
            className="inline-block w-auto"
            value={params.bucket}
            onChange={(e) => update({ bucket: e.target.value as SpendParams["bucket"] })}
            aria-label="Bucket"
          >
            <option value="hour">hour</option>
            <option value="day">day</option>
            <option value="week">week</option>
          </Select>
        </label>
        <div role="group" aria-label="Group by" className="flex items-center gap-1">
          <span className="mr-1 text-sm text-slate-600">Stack by</span>
          {GROUPS.map((g) => (
            <button
              key={g.id}
              type="button"
              aria-pressed={params.groupBy === g.id}
              onClick={() => update({ groupBy: g.id })}
              className={cn(
                "rounded-md px-2.5 py-1 text-sm",
                params.groupBy === g.id ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100",
              )}
            >
              {g.label}
            </button>
          ))}
        </div>
        {teams.length > 1 ? (
          <Select
            className="w-auto"
            value={params.teamId ?? ""}
            onChange={(e) => update({ teamId: e.target.value || undefined })}
            aria-label="Team"
          >
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </Select>
        ) : null}
        <Select
          className="w-auto"
          value={params.agentId ?? ""}
          onChange={(e) => update({ agentId: e.target.value || undefined })}
          aria-label="Agent"
        >
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </Select>
      </form>

      {notes.length ? (
        <div role="status" data-testid="spend-note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-medium">Some filters were adjusted:</p>
          <ul className="list-disc pl-5">
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {series.isError ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {(series.error as Error).message}
        </p>
      ) : null}

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat
          label="Cost"
          value={s ? <Cost usd={s.totals.costUsd} unpricedCalls={s.totals.unpricedCalls} /> : "…"}
          sub={
            s?.totals.unpricedCalls ? (
              <span className="text-amber-700">
                {s.totals.costUsd === null
                  ? "All calls unpriced"
                  : `Priced calls only; ${count(s.totals.unpricedCalls)} unpriced not included`}
              </span>
            ) : undefined
          }
          testId="spend-total"
        />
        <Stat
          label="Calls"
          value={s ? count(s.totals.calls) : "…"}
          sub={s ? `${count(s.totals.errors)} errors` : undefined}
        />
        <Stat
          label="Tokens"
          value={s ? count(s.totals.inputTokens + s.totals.outputTokens) : "…"}
          sub={
            s
              ? `${count(s.totals.inputTokens)} in (${count(s.totals.cachedInputTokens)} cached) · ${count(s.totals.outputTokens)} out`
              : undefined
          }
        />
        <Stat
          label="Unpriced calls"
          value={s ? count(s.totals.unpricedCalls) : "…"}
          sub={
            <span className={s?.totals.unpricedCalls ? "font-medium text-amber-700" : undefined}>
              Models with no price: cost unknown, never counted as $0.
            </span>
          }
        />
      </div>

      <Card>
        <CardHeader
          title={`Spend per ${params.bucket}, stacked by ${groupLabel.toLowerCase()}`}
          description={s ? `${rangeLabel(s.from, s.to, s.timeZone)} · days and weeks in ${s.timeZone}` : undefined}
          actions={
            series.isFetching ? (
              <span className="text-xs text-slate-500" aria-live="polite">
                Updating…
              </span>
            ) : null
          }
        />
        {!s ? (
          <div className="h-72 animate-pulse bg-slate-50" />
        ) : s.totals.calls === 0 ? (
          <EmptyState title="No usage in this range." />
        ) : (
          <div className={cn("p-4", series.isFetching && "opacity-60")}>
            <SpendChart data={s} />
          </div>
        )}
      </Card>

      <Card>
        <CardHeader
          title={`Top spenders by ${groupLabel.toLowerCase()}`}
          description="Change against the previous period of the same length."
          actions={
            <div className="flex flex-wrap gap-2">
              <a href={`/api/v1/spend/export?${bq}`} className={DOWNLOAD_LINK} download>
                <Download className="size-4" aria-hidden /> CSV
              </a>
              <a
                href={`/api/v1/spend/focus?${focusQuery}`}
                className={DOWNLOAD_LINK}
                title="FinOps FOCUS 1.3 cost and usage rows (per agent, model and day) for finance tools"
                download
              >
                <Download className="size-4" aria-hidden /> FOCUS
              </a>
            </div>
          }
        />
        {!table.data ? (
          <div className="h-40 animate-pulse bg-slate-50" />
        ) : table.data.rows.length === 0 ? (
          <EmptyState title="Nothing spent in this range." />
        ) : (
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th>{groupLabel}</Th>
                <Th className="text-right">Cost</Th>
                <Th className={cn(WIDE, "text-right")}>Previous period</Th>
                <Th className="text-right">Change</Th>
                <Th className={cn(WIDE, "text-right")}>Calls</Th>
                <Th className={cn(WIDE, "text-right")}>Errors</Th>
                <Th className={cn(WIDE, "text-right")}>Tokens</Th>
                <Th className={cn(WIDE, "text-right")}>Unpriced calls</Th>
                {withOutcomes ? (
                  <>
                    <Th className={cn(WIDE, "text-right")}>Successes</Th>
                    <Th className={cn(WIDE, "text-right")}>Per success</Th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="spend-rows">
              {table.data.rows.map((r) => (
                <tr key={r.key}>
                  <Td className="font-medium">
                    {/* While the previous grouping's rows are still shown, they are not agents. */}
                    {params.groupBy === "agent" && !table.isPlaceholderData ? (
                      <Link
                        href={`/agents/${encodeURIComponent(agents.find((a) => a.id === r.key)?.label ?? r.label)}`}
                        className="text-indigo-700 hover:underline"
                      >
                        {r.label}
                      </Link>
                    ) : (
                      r.label
                    )}
                    {/* On a phone the other figures ride under the label. */}
                    <span className="mt-1 block whitespace-normal text-xs font-normal text-slate-500 sm:hidden">
                      was {r.previousCostUsd === null ? "unpriced" : <Money usd={r.previousCostUsd} />} ·{" "}
                      {count(r.calls)} calls · {count(r.errors)} errors · {count(r.inputTokens + r.outputTokens)} tokens
                      {r.unpricedCalls ? (
                        <span className="text-amber-700"> · {count(r.unpricedCalls)} unpriced</span>
                      ) : null}
                      {withOutcomes ? (
                        <>
                          {" "}
                          · {count(r.successes ?? 0)} successes, <Money usd={r.costPerSuccessUsd} /> each
                        </>
                      ) : null}
                    </span>
                  </Td>
                  <Td className="text-right tabular-nums">
                    <Cost usd={r.costUsd} unpricedCalls={r.unpricedCalls} />
                  </Td>
                  <Td className={cn(WIDE, "text-right tabular-nums text-slate-500")}>
                    {r.previousCostUsd === null ? "unpriced" : <Money usd={r.previousCostUsd} />}
                  </Td>
                  <Td
                    className={cn(
                      "text-right tabular-nums",
                      r.changePercent === null
                        ? "text-slate-500"
                        : r.changePercent > 0
                          ? "text-rose-700"
                          : "text-emerald-700",
                    )}
                  >
                    {r.changePercent === null
                      ? "new"
                      : `${r.changePercent > 0 ? "+" : ""}${r.changePercent.toFixed(1)} %`}
                  </Td>
                  <Td className={cn(WIDE, "text-right tabular-nums")}>{count(r.calls)}</Td>
                  <Td className={cn(WIDE, "text-right tabular-nums")}>{count(r.errors)}</Td>
                  <Td className={cn(WIDE, "text-right tabular-nums")}>{count(r.inputTokens + r.outputTokens)}</Td>
                  <Td
                    className={cn(
                      WIDE,
                      "text-right tabular-nums",
                      r.unpricedCalls ? "font-medium text-amber-700" : "text-slate-500",
                    )}
                  >
                    {count(r.unpricedCalls)}
                  </Td>
                  {withOutcomes ? (
                    <>
                      <Td className={cn(WIDE, "text-right tabular-nums")}>{count(r.successes ?? 0)}</Td>
                      <Td className={cn(WIDE, "text-right tabular-nums")}>
                        <Money usd={r.costPerSuccessUsd} />
                      </Td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}

function Stat({
  label,
  value,
  sub,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  sub?: React.ReactNode;
  testId?: string;
}) {
  return (
    <Card className="px-4 py-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {sub ? <p className="text-xs text-slate-500">{sub}</p> : null}
    </Card>
  );
}
