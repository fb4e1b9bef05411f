import { z } from "zod";
import { microsToUsd, microsToUsdOrNull } from "@/lib/domain/money";

/** USD, or null when the cost is unknown (only unpriced calls): never shown as $0. */

import type { budgetBurn } from "@/lib/domain/spend/budget-burn";
import type { spendBreakdown, spendSeries } from "@/lib/domain/spend/queries";
import { toCsv } from "./csv";

/** The spend API's shapes (USD numbers, ISO times); the console renders these same shapes. */
export function seriesView(s: Awaited<ReturnType<typeof spendSeries>>) {
  return {
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    bucket: s.bucket,
    groupBy: s.groupBy,
    timeZone: s.timeZone,
    series: s.series.map((x) => ({
      key: x.key,
      label: x.label,
      costUsd: microsToUsdOrNull(x.costMicros),
      calls: Number(x.calls),
      unpricedCalls: Number(x.unpricedCalls),
    })),
    points: s.points.map((p) => ({
      t: p.t.toISOString(),
      values: Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, microsToUsdOrNull(v)])),
      unpricedCalls: Number(p.unpricedCalls),
    })),
    totals: {
      costUsd: microsToUsdOrNull(s.totals.costMicros),
      calls: Number(s.totals.calls),
      errors: Number(s.totals.errors),
      unpricedCalls: Number(s.totals.unpricedCalls),
      inputTokens: Number(s.totals.inputTokens),
      cachedInputTokens: Number(s.totals.cachedInputTokens),
      outputTokens: Number(s.totals.outputTokens),
    },
  };
}
export type SeriesView = ReturnType<typeof seriesView>;

export function breakdownView(b: Awaited<ReturnType<typeof spendBreakdown>>) {
  return {
    from: b.from.toISOString(),
    to: b.to.toISOString(),
    previousFrom: b.previousFrom.toISOString(),
    groupBy: b.groupBy,
    rows: b.rows.map((r) => ({
      key: r.key,
      label: r.label,
      costUsd: microsToUsdOrNull(r.costMicros),
      previousCostUsd: microsToUsdOrNull(r.previousCostMicros),
      changePercent: r.changePercent === null ? null : Math.round(r.changePercent * 10) / 10,
      calls: Number(r.calls),
      errors: Number(r.errors),
      unpricedCalls: Number(r.unpricedCalls),
      inputTokens: Number(r.inputTokens),
      outputTokens: Number(r.outputTokens),
      successes: r.outcomes?.successes ?? null,
      costPerSuccessUsd: r.outcomes?.successes ? r.outcomes.taskCostMicros / r.outcomes.successes / 1e6 : null,
    })),
  };
}
export type BreakdownView = ReturnType<typeof breakdownView>;

export function burnView(items: Awaited<ReturnType<typeof budgetBurn>>) {
  return items.map(({ budget: b, actual, forecast }) => ({
    id: b.id,
    name: b.name,
    scope: b.scope,
    period: b.period,
    hardAction: b.hardAction,
    limitUsd: microsToUsd(b.limitMicros),
    spentUsd: microsToUsd(b.spentMicros),
    periodStart: b.periodStart.toISOString(),
    resetsAt: b.resetsAt.toISOString(),
    timeZone: b.timeZone,
    actual: actual.map((a) => ({ at: a.at.toISOString(), usd: a.micros / 1e6 })),
    forecast: {
      dailyRateUsd: forecast.dailyRateMicros / 1e6,
      projectedUsd: forecast.projectedMicros / 1e6,
      exceedsAt: forecast.exceedsAt?.toISOString() ?? null,
      alreadyExceeded: forecast.alreadyExceeded,
      path: forecast.path.map((p) => ({ at: p.at.toISOString(), usd: p.micros / 1e6 })),
    },
  }));
}
export type BurnView = ReturnType<typeof burnView>;

/**
 * The spend table as CSV, through the shared writer (labels are user-chosen text: agent slugs, team names, models
 * reported by agents). An unknown cost (only unpriced calls) is an empty cell, never 0; unpriced_calls says why.
 */
export function breakdownCsv(b: BreakdownView): string {
  return toCsv(
    b.rows.map((r) => [
      r.label,
      r.key,
      r.costUsd?.toFixed(6),
      r.previousCostUsd?.toFixed(6),
      r.changePercent,
      r.calls,
      r.errors,
      r.unpricedCalls,
      r.inputTokens,
      r.outputTokens,
      r.successes,
      r.costPerSuccessUsd?.toFixed(6),
    ]),
    [
      b.groupBy,
      "id",
      "cost_usd",
      "previous_period_cost_usd",
      "change_percent",
      "calls",
      "errors",
      "unpriced_calls",
      "input_tokens",
      "output_tokens",
      "successful_outcomes",
      "cost_per_success_usd",
    ],
  );
}

const usd = z.number().nullable().meta({ description: "USD; null when only unpriced calls were made" });
const iso = z.iso.datetime();

export const SpendSeriesSchema = z
  .object({
    from: iso,
    to: iso,
    bucket: z.enum(["hour", "day", "week"]),
    groupBy: z.string(),
    timeZone: z.string(),
    series: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        costUsd: usd,
        calls: z.number(),
        unpricedCalls: z.number(),
      }),
    ),
    points: z.array(z.object({ t: iso, values: z.record(z.string(), usd), unpricedCalls: z.number() })),
    totals: z.object({
      costUsd: usd,
      calls: z.number(),
      errors: z.number(),
      unpricedCalls: z.number(),
      inputTokens: z.number(),
      cachedInputTokens: z.number(),
      outputTokens: z.number(),
    }),
  })
  .meta({ id: "SpendSeries" });

export const SpendBreakdownSchema = z
  .object({
    from: iso,
    to: iso,
    previousFrom: iso,
    groupBy: z.string(),
    rows: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        costUsd: usd,
        previousCostUsd: usd,
        changePercent: z.number().nullable(),
        calls: z.number(),
        errors: z.number(),
        unpricedCalls: z.number(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        successes: z.number().nullable().meta({
          description:
            "Tasks with a successful outcome reported in the period (each task once, as its latest reports say); null grouped by model or tool",
        }),
        costPerSuccessUsd: z.number().nullable().meta({
          description: "The whole usage cost of the tasks that reported outcomes, over the successful tasks",
        }),
      }),
    ),
  })
  .meta({ id: "SpendBreakdown" });

const point = z.object({ at: iso, usd: z.number() });
export const BudgetBurnSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(["agent", "team", "org"]),
    period: z.enum(["day", "week", "month"]),
    hardAction: z.enum(["block", "degrade", "notify"]),
    limitUsd: z.number(),
    spentUsd: z.number(),
    periodStart: iso,
    resetsAt: iso,
    timeZone: z.string(),
    actual: z.array(point),
    forecast: z.object({
      dailyRateUsd: z.number(),
      projectedUsd: z.number(),
      exceedsAt: iso.nullable(),
      alreadyExceeded: z.boolean(),
      path: z.array(point),
    }),
  })
  .meta({ id: "BudgetBurn" });
