import "server-only";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict } from "../errors";
import { requireManageBudget } from "./access";
import { lockBudget } from "./lock-budget";
import { budgetReplayImpact } from "./replay";
import { ArchiveBudgetSchema } from "./schemas";

/**
 * Archived budgets stop counting, reserving and alerting at once; their history stays. The audit event keeps what the
 * archiving would have done to the last 7 days of recorded calls (`after.impact`) unless `impact` is false.
 */
export async function archiveBudget(
  actor: Actor,
  meta: RequestMeta,
  budgetId: string,
  raw: unknown = {},
  { impact = true }: { impact?: boolean } = {},
) {
  const { reason } = ArchiveBudgetSchema.parse(raw);
  const replay = impact ? await budgetReplayImpact(actor, { op: "archive", budgetId }) : undefined;
  return inTransaction(async (tx) => {
    const { budget: before, teamId } = await lockBudget(tx, budgetId);
    requireManageBudget(actor, { scope: before.scope, teamId });
    if (before.archivedAt) throw conflict("budget_archived", "This budget is already archived");
    const after = await tx.budget.update({ where: { id: budgetId }, data: { archivedAt: new Date() } });
    await writeAuditEvent(tx, actor, meta, {
      action: "budget.archived",
      targetType: "budget",
      targetId: budgetId,
      agentId: before.agentId,
      teamId,
      before,
      after: replay ? { ...after, impact: replay } : after,
      reason: reason ?? null,
    });
    return after;
  });
}
