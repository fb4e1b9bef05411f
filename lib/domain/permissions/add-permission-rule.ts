import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockAgentRules } from "../locks";
import { type ReplayImpact, replayImpact } from "./replay";
import { ruleColumns } from "./rule-columns";
import { PermissionRuleInputSchema } from "./schemas";

/**
 * Appends a rule at the end of the agent's rule list. Its audit event keeps what the rule would have done to the last
 * 7 days of recorded calls (`after.impact`, the replay the console previews), unless `impact` is false (a
 * configuration apply, which runs inside its own transaction).
 */
export async function addPermissionRule(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  raw: unknown,
  { impact = true }: { impact?: boolean } = {},
) {
  requireAdmin(actor);
  const input = PermissionRuleInputSchema.parse(raw);
  const replay = impact ? await replayImpact(actor, agentId, { op: "add", rule: input }) : undefined;
  return inTransaction((tx) =>
    appendRules(tx, actor, meta, agentId, [input], undefined, replay).then(([rule]) => rule),
  );
}

/** Appends validated rules in order, one audit event each (`reason` says why, e.g. which template). */
export async function appendRules(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  inputs: ReturnType<typeof PermissionRuleInputSchema.parse>[],
  reason?: string,
  impact?: ReplayImpact,
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
      after: impact ? { ...rule, impact } : rule,
      reason,
    });
    created.push(rule);
  }
  return created;
}
