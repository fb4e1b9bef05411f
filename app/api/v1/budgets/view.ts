import type { BudgetView } from "@/lib/domain/budgets/queries";
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
    },
  };
}
