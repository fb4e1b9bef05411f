import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockAgentRules } from "../locks";
import { findRule } from "./find-rule";
import { ruleColumns } from "./rule-columns";
import { PermissionRuleInputSchema } from "./schemas";

/** Replaces a rule's effect, patterns and conditions; its position stays. */
export async function updatePermissionRule(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  ruleId: string,
  raw: unknown,
) {
  requireAdmin(actor);
  const input = PermissionRuleInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    const agent = await lockAgentRules(tx, agentId);
    const before = await findRule(tx, agentId, ruleId);
    const after = await tx.permissionRule.update({ where: { id: ruleId }, data: ruleColumns(input) });
    await writeAuditEvent(tx, actor, meta, {
      action: "permission.updated",
      targetType: "permission_rule",
      targetId: ruleId,
      agentId,
      teamId: agent.teamId,
      before,
      after,
    });
    return after;
  });
}
