"use client";

import Link from "next/link";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartTick, dateTime, money } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { BurnView } from "@/lib/http/spend-views";

/** One budget's period: cumulative spend (solid), the forecast to the period end (dashed), the limit (red). */
export function BudgetBurnCard({ b }: { b: BurnView[number] }) {
  const tick = (t: string) => chartTick(t, b.period === "day" ? "hour" : "day", b.timeZone);
  const rows = [
    { at: b.periodStart, actual: 0 as number | undefined, forecast: undefined as number | undefined },
    ...b.actual.map((a) => ({ at: a.at, actual: a.usd, forecast: undefined })),
  ];
  // The forecast starts where spend is now (the last actual point).
  const last = rows[rows.length - 1];
  last.forecast = last.actual;
  for (const p of b.forecast.path) rows.push({ at: p.at, actual: undefined, forecast: p.usd });
  rows.sort((x, y) => x.at.localeCompare(y.at));
  const f = b.forecast;
  const status = f.alreadyExceeded ? (
    <Badge tone="red">limit reached</Badge>
  ) : f.exceedsAt ? (
    <Badge tone="red">will exceed {dateTime(f.exceedsAt, b.timeZone)}</Badge>
  ) : (
    <Badge tone="green">on track</Badge>
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
            <XAxis dataKey="at" tickFormatter={tick} fontSize={10} tickLine={false} axisLine={false} minTickGap={20} />
            <YAxis
              fontSize={10}
              tickLine={false}
              axisLine={false}
              width={52}
              tickFormatter={(v: number) => money(v)}
              domain={[0, (max: number) => Math.max(max, b.limitUsd) * 1.05]}
            />
            <Tooltip
              labelFormatter={(t) => dateTime(String(t), b.timeZone)}
              formatter={(v, name) => [money(Number(v)), name === "actual" ? "spent" : "forecast"]}
            />
            <ReferenceLine
              y={b.limitUsd}
              stroke="#e11d48"
              strokeDasharray="4 2"
              label={{ value: "limit", fontSize: 10, fill: "#e11d48", position: "insideTopLeft" }}
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
