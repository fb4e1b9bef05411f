import "server-only";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict } from "../errors";
import { requireManageBudget } from "./access";
import { lockBudget } from "./lock-budget";
import { ArchiveBudgetSchema } from "./schemas";

/** Archived budgets stop counting, reserving and alerting at once; their history stays. */
export async function archiveBudget(actor: Actor, meta: RequestMeta, budgetId: string, raw: unknown = {}) {
  const { reason } = ArchiveBudgetSchema.parse(raw);
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
      after,
      reason: reason ?? null,
    });
    return after;
  });
}
