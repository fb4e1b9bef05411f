"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { chartTick, money, moneyTick } from "@/components/format";

export type BudgetHistoryPoint = {
  /** Period start, ISO. */
  t: string;
  spentUsd: number;
  percentUsed: number;
  status: "over" | "near" | "on_track";
  /** The period ended before the budget was created: drawn in grey, not judged. */
  beforeBudget: boolean;
};

// Bars in the status colours, dark enough to read against white (3:1 for graphics); the limit line is slate.
const FILL = { over: "#e11d48", near: "#d97706", on_track: "#4f46e5" } as const;
const STATUS_TEXT = { over: "over the limit", near: "near the limit", on_track: "on track" } as const;
const BEFORE_FILL = "#94a3b8";

/** A budget's spend per period as bars, with its limit as a dashed line; the zone is named in the card's description. */
export function BudgetHistoryChart({
  points,
  limitUsd,
  unit,
  timeZone,
  height = 240,
}: {
  points: BudgetHistoryPoint[];
  limitUsd: number;
  unit: "day" | "week" | "month";
  timeZone: string;
  height?: number;
}) {
  const fmt = (t: string) => {
    if (unit === "month") return chartTick(t, "day", timeZone).slice(0, 7);
    return chartTick(t, unit, timeZone).replace(/^(wk )?\d{4}-/, "$1");
  };
  return (
    <div className="w-full" style={{ height }} data-testid="budget-history-chart" data-periods={points.length}>
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <BarChart data={points} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="t" tickLine={false} axisLine={false} fontSize={11} tickFormatter={fmt} minTickGap={8} />
          <YAxis
            tickLine={false}
            axisLine={false}
            fontSize={11}
            width={60}
            domain={[0, "auto"]}
            tickFormatter={moneyTick}
          />
          <Tooltip
            labelFormatter={(t) => fmt(String(t))}
            formatter={(v, _n, item) => {
              const p = item.payload as BudgetHistoryPoint;
              const judged = p.beforeBudget ? "before this budget" : STATUS_TEXT[p.status];
              return [`${money(Number(v))} (${p.percentUsed.toFixed(1)} % of the current limit, ${judged})`, "Spent"];
            }}
          />
          <ReferenceLine
            y={limitUsd}
            ifOverflow="extendDomain"
            stroke="#334155"
            strokeDasharray="6 3"
            label={{ value: `limit ${money(limitUsd)}`, position: "insideTopRight", fontSize: 11, fill: "#334155" }}
          />
          <Bar dataKey="spentUsd" name="Spent" isAnimationActive={false} radius={[2, 2, 0, 0]}>
            {points.map((p) => (
              <Cell key={p.t} fill={p.beforeBudget ? BEFORE_FILL : FILL[p.status]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
