import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockAgentRules } from "../locks";
import { ruleColumns } from "./rule-columns";
import { PermissionRuleInputSchema } from "./schemas";

/** Appends a rule at the end of the agent's rule list. */
export async function addPermissionRule(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor);
  const input = PermissionRuleInputSchema.parse(raw);
  return inTransaction((tx) => appendRules(tx, actor, meta, agentId, [input]).then(([rule]) => rule));
}

/** Appends validated rules in order, one audit event each (`reason` says why, e.g. which template). */
export async function appendRules(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  inputs: ReturnType<typeof PermissionRuleInputSchema.parse>[],
  reason?: string,
) {
  const agent = await lockAgentRules(tx, agentId);
  const last = await tx.permissionRule.findFirst({
    where: { agentId },
    orderBy: { position: "desc" },
    select: { position: true },
  });
  let position = last?.position ?? 0;
  const created = [];
  for (const input of inputs) {
    const rule = await tx.permissionRule.create({ data: { agentId, position: ++position, ...ruleColumns(input) } });
    await writeAuditEvent(tx, actor, meta, {
      action: "permission.created",
      targetType: "permission_rule",
      targetId: rule.id,
      agentId,
      teamId: agent.teamId,
      after: rule,
      reason,
    });
    created.push(rule);
  }
  return created;
}
