import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { closeApprovalsOfRule } from "../approvals/lifecycle";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockAgentRules } from "../locks";
import { findRule } from "./find-rule";
import { replayImpact } from "./replay";

/**
 * Deletes a rule and closes the gap, so positions stay 1…n as the table and decision reasons show them. The audit event
 * keeps the deletion's replay over the last 7 days (`after.impact`) unless `impact` is false.
 */
export async function deletePermissionRule(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  ruleId: string,
  { impact = true }: { impact?: boolean } = {},
) {
  requireAdmin(actor);
  const replay = impact ? await replayImpact(actor, agentId, { op: "delete", ruleId }) : undefined;
  return inTransaction(async (tx) => {
    const agent = await lockAgentRules(tx, agentId);
    const before = await findRule(tx, agentId, ruleId);
    await tx.permissionRule.delete({ where: { id: ruleId } });
    await closeApprovalsOfRule(
      tx,
      actor,
      meta,
      ruleId,
      `Rule #${before.position} was deleted since this call was asked`,
    );
    await tx.permissionRule.updateMany({
      where: { agentId, position: { gt: before.position } },
      data: { position: { decrement: 1 } },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "permission.deleted",
      targetType: "permission_rule",
      targetId: ruleId,
      agentId,
      teamId: agent.teamId,
      before,
      after: replay ? { impact: replay } : null,
    });
    return { deleted: ruleId };
  });
}
