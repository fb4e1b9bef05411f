"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesView } from "@/lib/http/spend-views";

export const COLORS = [
  "#4f46e5",
  "#0ea5e9",
  "#f59e0b",
  "#10b981",
  "#ef4444",
  "#8b5cf6",
  "#ec4899",
  "#14b8a6",
  "#94a3b8",
];

function tickFormat(bucket: SeriesView["bucket"], timeZone: string) {
  const fmt = new Intl.DateTimeFormat(
    "en-GB",
    bucket === "hour"
      ? { timeZone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }
      : { timeZone, day: "2-digit", month: "short" },
  );
  return (t: string) => (bucket === "week" ? `wk ${fmt.format(new Date(t))}` : fmt.format(new Date(t)));
}

/** Axis labels: whole dollars from $100, cents from 10¢, two significant digits below (e.g. $0.024). */
export const usdShort = (v: number) =>
  v >= 100
    ? `$${v.toLocaleString("en-US", { maximumFractionDigits: 0 })}`
    : v === 0 || v >= 0.1
      ? `$${v.toFixed(2)}`
      : `$${Number(v.toPrecision(2))}`;

/** Spend per bucket, stacked by the series of the query (top groups, then "Other"). */
export function SpendChart({ data, height = 288 }: { data: SeriesView; height?: number }) {
  const rows = data.points.map((p) => ({ t: p.t, ...p.values }));
  const fmt = tickFormat(data.bucket, data.timeZone);
  return (
    <div
      className="w-full"
      style={{ height }}
      data-testid="spend-chart"
      data-group-by={data.groupBy}
      data-series={data.series.map((s) => s.label).join("|")}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="t" tickLine={false} axisLine={false} fontSize={11} tickFormatter={fmt} minTickGap={24} />
          <YAxis
            tickLine={false}
            axisLine={false}
            fontSize={11}
            tickFormatter={(v: number) => usdShort(v)}
            width={64}
          />
          <Tooltip
            labelFormatter={(t) => fmt(String(t))}
            formatter={(v) => (v === null || v === undefined ? "unpriced" : usdShort(Number(v)))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {data.series.map((s, i) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="spend"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
