"use client";

import Link from "next/link";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartTick, dateTime, money, moneyTick } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { BurnView } from "@/lib/http/spend-views";

/** One budget's period: cumulative spend (solid), the forecast to the period end (dashed), the limit (red). */
export function BudgetBurnCard({ b }: { b: BurnView[number] }) {
  const tick = (t: string) => chartTick(t, b.period === "day" ? "hour" : "day", b.timeZone);
  const rows = [
    { at: Date.parse(b.periodStart), actual: 0 as number | undefined, forecast: undefined as number | undefined },
    ...b.actual.map((a) => ({ at: Date.parse(a.at), actual: a.usd, forecast: undefined })),
  ];
  // The forecast starts where spend is now (the last actual point). Its badge says it is a forecast: the budget's
  // status (on track, near, over) is what was spent, and may well read "on track" while the rate would exceed it.
  const last = rows[rows.length - 1];
  last.forecast = last.actual;
  for (const p of b.forecast.path) rows.push({ at: Date.parse(p.at), actual: undefined, forecast: p.usd });
  rows.sort((x, y) => x.at - y.at);
  // Time runs evenly along the period (every 6 hours of a day, every day of a week, every week of a month), and the
  // money axis in round steps up to a little past the limit or the highest point.
  const start = Date.parse(b.periodStart);
  const end = Date.parse(b.resetsAt);
  const every = { day: 6 * 3_600_000, week: 86_400_000, month: 7 * 86_400_000 }[b.period] ?? (end - start) / 4;
  const timeTicks: number[] = [];
  for (let t = start; t < end; t += every) timeTicks.push(t);
  if (end - timeTicks[timeTicks.length - 1] < every / 2) timeTicks.pop();
  timeTicks.push(end);
  const moneyTicks = roundTicks(Math.max(b.limitUsd, ...rows.map((r) => r.actual ?? r.forecast ?? 0)) * 1.05);
  const f = b.forecast;
  const status = f.alreadyExceeded ? (
    <Badge tone="red">limit reached</Badge>
  ) : f.exceedsAt ? (
    <Badge tone="amber">forecast: exceeds {dateTime(f.exceedsAt, b.timeZone)}</Badge>
  ) : (
    <Badge tone="green">forecast: within limit</Badge>
  );
  return (
    <Card className="p-4">
      <div className="mb-1 flex flex-wrap items-center gap-2" data-testid="burn-card">
        <Link href={`/budgets/${b.id}`} className="text-sm font-semibold text-slate-900 hover:text-indigo-600">
          {b.name}
        </Link>
        <span className="text-xs text-slate-500">
          {b.scope} · per {b.period} · {b.hardAction}
        </span>
        <span className="ml-auto">{status}</span>
      </div>
      <p className="mb-2 text-xs tabular-nums text-slate-600">
        {money(b.spentUsd)} of {money(b.limitUsd)} spent · projected {money(f.projectedUsd)} by{" "}
        {dateTime(b.resetsAt, b.timeZone)} · recent rate {money(f.dailyRateUsd)}/day
      </p>
      <div className="h-36">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={[start, end]}
              ticks={timeTicks}
              tickFormatter={(t: number) => tick(new Date(t).toISOString())}
              fontSize={10}
              tickLine={false}
              axisLine={false}
              minTickGap={20}
            />
            <YAxis
              fontSize={10}
              tickLine={false}
              axisLine={false}
              width={52}
              tickFormatter={moneyTick}
              domain={[0, moneyTicks[moneyTicks.length - 1]]}
              ticks={moneyTicks}
              // Every round step labelled: Recharts would drop one it judges too close ($500, $300, $200: no $400).
              interval={0}
            />
            <Tooltip
              labelFormatter={(t) => dateTime(new Date(Number(t)).toISOString(), b.timeZone)}
              formatter={(v, name) => [money(Number(v)), name === "actual" ? "spent" : "forecast"]}
            />
            <ReferenceLine
              y={b.limitUsd}
              stroke="#e11d48"
              strokeDasharray="4 2"
              label={{ value: `limit ${money(b.limitUsd)}`, fontSize: 10, fill: "#e11d48", position: "insideTopLeft" }}
            />
            <Line
              type="monotone"
              dataKey="actual"
              stroke="#4f46e5"
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="forecast"
              stroke="#4f46e5"
              strokeDasharray="5 4"
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}

/** 0 up to at least `top` in four or five steps of 1, 2, 2.5 or 5 times a power of ten. */
function roundTicks(top: number): number[] {
  if (!(top > 0)) return [0, 1];
  const power = 10 ** Math.floor(Math.log10(top / 4));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s * 5 >= top) ?? 10 * power;
  const ticks = [0];
  while (ticks[ticks.length - 1] < top - 1e-9) ticks.push(Math.round((ticks[ticks.length - 1] + step) * 1e6) / 1e6);
  return ticks;
}

export function BudgetBurnGrid({ items }: { items: BurnView }) {
  if (items.length === 0) return <p className="text-sm text-slate-500">No budgets to burn down.</p>;
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="budget-burn">
      {items.map((b) => (
        <BudgetBurnCard key={b.id} b={b} />
      ))}
    </div>
  );
}
