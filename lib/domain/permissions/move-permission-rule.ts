import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid } from "../errors";
import { lockAgentRules } from "../locks";
import { findRule } from "./find-rule";
import { MoveRuleSchema } from "./schemas";

/** Swaps a rule with its neighbour above or below. Order decides which rule a decision names. */
export async function movePermissionRule(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  ruleId: string,
  raw: unknown,
) {
  requireAdmin(actor);
  const { direction } = MoveRuleSchema.parse(raw);
  return inTransaction(async (tx) => {
    const agent = await lockAgentRules(tx, agentId);
    const rule = await findRule(tx, agentId, ruleId);
    const neighbour = await tx.permissionRule.findFirst({
      where: { agentId, position: direction === "up" ? { lt: rule.position } : { gt: rule.position } },
      orderBy: { position: direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour)
      throw invalid(`The rule is already ${direction === "up" ? "first" : "last"}`, {
        direction: [`cannot move ${direction}`],
      });
    await tx.permissionRule.update({ where: { id: rule.id }, data: { position: neighbour.position } });
    await tx.permissionRule.update({ where: { id: neighbour.id }, data: { position: rule.position } });
    await writeAuditEvent(tx, actor, meta, {
      action: "permission.moved",
      targetType: "permission_rule",
      targetId: rule.id,
      agentId,
      teamId: agent.teamId,
      before: { position: rule.position },
      after: { position: neighbour.position },
    });
    return tx.permissionRule.findMany({ where: { agentId }, orderBy: { position: "asc" } });
  });
}
