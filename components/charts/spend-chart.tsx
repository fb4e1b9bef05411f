"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartTick, dateTime, money, moneyTick } from "@/components/format";
import type { SeriesView } from "@/lib/http/spend-views";

/**
 * Series colours: a categorical palette whose hues are far apart (no two greens or two blues), in an order where
 * neighbours in a stack contrast. "Other" is always grey.
 */
export const COLORS = [
  "#4e79a7", // blue
  "#f28e2b", // orange
  "#59a14f", // green
  "#e15759", // red
  "#b07aa1", // purple
  "#edc948", // yellow
  "#76b7b2", // teal
  "#ff9da7", // pink
  "#9c755f", // brown
];
export const OTHER_COLOR = "#94a3b8";

/** Spend per bucket, stacked by the series of the query (top groups, then "Other"). */
export function SpendChart({ data, height = 288 }: { data: SeriesView; height?: number }) {
  const rows = data.points.map((p) => ({ t: p.t, ...p.values }));
  const fmt = (t: string) => chartTick(t, data.bucket, data.timeZone);
  return (
    <div
      className="w-full"
      style={{ height }}
      data-testid="spend-chart"
      data-group-by={data.groupBy}
      data-series={data.series.map((s) => s.label).join("|")}
    >
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="t" tickLine={false} axisLine={false} fontSize={11} tickFormatter={fmt} minTickGap={24} />
          <YAxis tickLine={false} axisLine={false} fontSize={11} tickFormatter={moneyTick} width={64} />
          <Tooltip
            labelFormatter={(t) => (data.bucket === "hour" ? dateTime(String(t), data.timeZone) : fmt(String(t)))}
            formatter={(v) => (v === null || v === undefined ? "unpriced" : money(Number(v)))}
          />
          {/* Series names in slate-700 next to their coloured swatch: text in the series colour is unreadable. */}
          <Legend
            wrapperStyle={{ fontSize: 12 }}
            formatter={(value) => <span className="text-slate-700">{value}</span>}
          />
          {data.series.map((s, i) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="spend"
              fill={s.key === "__other" ? OTHER_COLOR : COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
