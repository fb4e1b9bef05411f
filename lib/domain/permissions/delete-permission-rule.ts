import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockAgentRules } from "../locks";
import { findRule } from "./find-rule";

/** Deletes a rule and closes the gap, so positions stay 1…n as the table and decision reasons show them. */
export async function deletePermissionRule(actor: Actor, meta: RequestMeta, agentId: string, ruleId: string) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const agent = await lockAgentRules(tx, agentId);
    const before = await findRule(tx, agentId, ruleId);
    await tx.permissionRule.delete({ where: { id: ruleId } });
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
    });
    return { deleted: ruleId };
  });
}
