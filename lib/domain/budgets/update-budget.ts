import "server-only";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict } from "../errors";
import { usdToMicros } from "../money";
import { requireManageBudget } from "./access";
import { normaliseThresholds } from "./create-budget";
import { lockBudget } from "./lock-budget";
import { budgetReplayImpact } from "./replay";
import { BudgetUpdateSchema } from "./schemas";

/**
 * Edits a budget; its audit event keeps what the edit would have done to the last 7 days of recorded calls
 * (`after.impact`, the replay the console previews) unless `impact` is false (a configuration apply).
 */
export async function updateBudget(
  actor: Actor,
  meta: RequestMeta,
  budgetId: string,
  raw: unknown,
  { impact = true }: { impact?: boolean } = {},
) {
  const parsed = BudgetUpdateSchema.safeParse(raw);
  const replay =
    impact && parsed.success
      ? await budgetReplayImpact(actor, { op: "update", budgetId, budget: parsed.data })
      : undefined;
  return inTransaction(async (tx) => {
    const { budget: before, teamId } = await lockBudget(tx, budgetId);
    requireManageBudget(actor, { scope: before.scope, teamId });
    // Validated after the permission check, so a viewer gets 403 rather than 422.
    const input = BudgetUpdateSchema.parse(raw);
    if (before.archivedAt) throw conflict("budget_archived", "This budget is archived; create a new one instead");
    const after = await tx.budget.update({
      where: { id: budgetId },
      data: {
        name: input.name,
        period: input.period,
        limitMicros: input.limitUsd === undefined ? undefined : usdToMicros(input.limitUsd),
        thresholds: input.thresholds === undefined ? undefined : normaliseThresholds(input.thresholds),
        hardAction: input.hardAction,
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "budget.updated",
      targetType: "budget",
      targetId: budgetId,
      agentId: before.agentId,
      teamId,
      before,
      after: replay ? { ...after, impact: replay } : after,
    });
    return after;
  });
}
