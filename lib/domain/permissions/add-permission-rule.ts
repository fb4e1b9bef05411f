import { inTransaction } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { usdToMicros } from "../money";
import { PermissionRuleInputSchema, type PermissionRuleInput } from "./schemas";

/** Appends a rule at the end of the agent's rule list. */
export async function addPermissionRule(actor: Actor, meta: RequestMeta, agentId: string, raw: PermissionRuleInput) {
  requireAdmin(actor);
  const input = PermissionRuleInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: agentId }, select: { id: true, teamId: true } });
    if (!agent) throw notFound("Agent");
    const last = await tx.permissionRule.findFirst({ where: { agentId }, orderBy: { position: "desc" }, select: { position: true } });
    const rule = await tx.permissionRule.create({
      data: {
        agentId,
        position: (last?.position ?? 0) + 1,
        effect: input.effect,
        action: input.action,
        resource: input.resource,
        maxCostMicros: input.maxCostPerCallUsd == null ? null : usdToMicros(input.maxCostPerCallUsd),
        allowedHours: (input.allowedHours ?? undefined) as never,
        requiresApproval: input.requiresApproval,
        description: input.description,
      },
    });
    await writeAuditEvent(tx, actor, meta, { action: "permission.created", targetType: "permission_rule", targetId: rule.id, agentId, teamId: agent.teamId, after: rule });
    return rule;
  });
}
