import { z } from "zod";
import type { BudgetView } from "@/lib/domain/budgets/queries";
import { BUDGET_STATUSES } from "@/lib/domain/budgets/status";
import { microsToUsd } from "@/lib/domain/money";

/** The API's budget: money in USD, this period's figures, no internal join rows. */
export function budgetView(b: Omit<BudgetView, "canManage"> & { canManage?: boolean }) {
  return {
    id: b.id,
    name: b.name,
    scope: b.scope,
    agent: b.agent ? { id: b.agent.id, slug: b.agent.slug, name: b.agent.name } : null,
    team: b.team ? { id: b.team.id, slug: b.team.slug, name: b.team.name } : null,
    period: b.period,
    limitUsd: microsToUsd(b.limitMicros),
    thresholds: b.thresholds,
    hardAction: b.hardAction,
    archivedAt: b.archivedAt,
    current: {
      periodStart: b.periodStart,
      resetsAt: b.resetsAt,
      timeZone: b.timeZone,
      spentUsd: microsToUsd(b.spentMicros),
      reservedUsd: microsToUsd(b.reservedMicros),
      remainingUsd: microsToUsd(b.remainingMicros),
      percentUsed: b.percentUsed,
      status: b.status,
      unpricedCalls: b.unpricedCalls,
    },
  };
}

const ref = z.object({ id: z.string(), slug: z.string(), name: z.string() });
/** The response shape of `budgetView`. */
export const BudgetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(["agent", "team", "org"]),
    agent: ref.nullable(),
    team: ref.nullable(),
    period: z.enum(["day", "week", "month"]),
    limitUsd: z.number(),
    thresholds: z.array(z.number().int()),
    hardAction: z.enum(["block", "degrade", "notify"]),
    archivedAt: z.iso.datetime().nullable(),
    current: z.object({
      periodStart: z.iso.datetime(),
      resetsAt: z.iso.datetime(),
      timeZone: z.string(),
      spentUsd: z.number(),
      reservedUsd: z.number(),
      remainingUsd: z.number(),
      percentUsed: z.number(),
      status: z.enum(BUDGET_STATUSES).meta({ description: "over from 100 % spent, near from 80 %, else on_track" }),
      unpricedCalls: z.number().int().meta({
        description:
          "Calls this period whose model has no price. Each counts at its estimate when it had one, else at nothing, so spentUsd can be short by their real cost (add the price in Settings)",
      }),
    }),
  })
  .meta({ id: "Budget" });

export const BUDGET_PARAM = { id: "Budget id" };
