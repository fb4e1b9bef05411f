import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { closeApprovalsOfRule } from "../approvals/lifecycle";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockAgentRules } from "../locks";
import { findRule } from "./find-rule";
import { replayImpact } from "./replay";
import { ruleColumns } from "./rule-columns";
import { PermissionRuleInputSchema } from "./schemas";

/**
 * Replaces a rule's effect, patterns and conditions; its position stays. The audit event keeps the change's replay over
 * the last 7 days (`after.impact`) unless `impact` is false.
 */
export async function updatePermissionRule(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  ruleId: string,
  raw: unknown,
  { impact = true }: { impact?: boolean } = {},
) {
  requireAdmin(actor);
  const input = PermissionRuleInputSchema.parse(raw);
  const replay = impact ? await replayImpact(actor, agentId, { op: "update", ruleId, rule: input }) : undefined;
  return inTransaction(async (tx) => {
    const agent = await lockAgentRules(tx, agentId);
    const before = await findRule(tx, agentId, ruleId);
    const after = await tx.permissionRule.update({ where: { id: ruleId }, data: ruleColumns(input) });
    // What it decides changed (not its description alone): the calls it asked about were judged under the old one.
    const decides = (r: typeof before) =>
      JSON.stringify({ ...r, description: null, updatedAt: null }, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
    if (decides(before) !== decides(after))
      await closeApprovalsOfRule(tx, actor, meta, ruleId, `Rule #${before.position} changed since this call was asked`);
    await writeAuditEvent(tx, actor, meta, {
      action: "permission.updated",
      targetType: "permission_rule",
      targetId: ruleId,
      agentId,
      teamId: agent.teamId,
      before,
      after: replay ? { ...after, impact: replay } : after,
    });
    return after;
  });
}
