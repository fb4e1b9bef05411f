import { z } from "zod";
import { budgetHistory } from "@/lib/domain/budgets/queries";
import { BudgetHistoryQuerySchema } from "@/lib/domain/budgets/schemas";
import { BUDGET_STATUSES } from "@/lib/domain/budgets/status";
import { microsToUsd } from "@/lib/domain/money";
import { personRoute } from "@/lib/http/route";
import { BUDGET_PARAM } from "../../view";

const BudgetHistorySchema = z
  .object({
    budgetId: z.string(),
    period: z.enum(["day", "week", "month"]),
    timeZone: z.string(),
    limitUsd: z.number(),
    periods: z.array(
      z.object({
        periodStart: z.iso.datetime(),
        periodEnd: z.iso.datetime(),
        spentUsd: z.number(),
        percentUsed: z.number(),
        status: z.enum(BUDGET_STATUSES).meta({ description: "The period's spend against the budget's current limit" }),
        beforeBudget: z.boolean().meta({
          description:
            "The period ended before the budget was created: the budget was not in force then, so `status` only compares its spend with the current limit",
        }),
      }),
    ),
  })
  .meta({ id: "BudgetHistory" });

export const GET = personRoute(
  {
    tags: ["budgets"],
    summary: "Spend in each of the budget's last periods (the current one last) against its current limit",
    params: BUDGET_PARAM,
    query: BudgetHistoryQuerySchema,
    response: BudgetHistorySchema,
  },
  async ({ actor, params, query }) => {
    const h = await budgetHistory(actor, params.id, query);
    return {
      budgetId: h.budgetId,
      period: h.period,
      timeZone: h.timeZone,
      limitUsd: microsToUsd(h.limitMicros),
      periods: h.periods.map((p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        spentUsd: microsToUsd(p.spentMicros),
        percentUsed: p.percentUsed,
        status: p.status,
        beforeBudget: p.beforeBudget,
      })),
    };
  },
);
