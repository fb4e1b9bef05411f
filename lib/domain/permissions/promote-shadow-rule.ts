import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict } from "../errors";
import { lockAgentRules } from "../locks";
import { findRule } from "./find-rule";
import { shadowFigures } from "./shadow";

const DAY = 86_400_000;

/**
 * Enforces a shadow rule where it stands. The audit event carries what the rule would have done over the last 7 days
 * (calls judged, calls it changes by transition), the evidence the promotion was made on.
 */
export async function promoteShadowRule(actor: Actor, meta: RequestMeta, agentId: string, ruleId: string) {
  requireAdmin(actor);
  const now = new Date();
  return inTransaction(async (tx) => {
    const agent = await lockAgentRules(tx, agentId);
    const before = await findRule(tx, agentId, ruleId);
    if (before.mode !== "shadow")
      throw conflict("rule_not_shadow", `Rule #${before.position} is already enforced: only a shadow rule is promoted`);
    // The rule as it stands now, locked: its verdicts since its last edit are the evidence.
    const weekAgo = new Date(now.getTime() - 7 * DAY);
    const evidence = await shadowFigures(agentId, before, weekAgo, now, tx);
    const after = await tx.permissionRule.update({ where: { id: ruleId }, data: { mode: "enforce" } });
    const changes = evidence.transitions.map((t) => `${t.from} → ${t.to} ${t.calls}`).join(", ");
    await writeAuditEvent(tx, actor, meta, {
      action: "permission.promoted",
      targetType: "permission_rule",
      targetId: ruleId,
      agentId,
      teamId: agent.teamId,
      before,
      after: {
        ...after,
        shadowEvidence: {
          from: evidence.from,
          to: evidence.to,
          matched: evidence.matched,
          changed: evidence.changed,
          changedUsageMicros: evidence.changedUsageMicros,
          transitions: evidence.transitions,
        },
      },
      reason: `In shadow ${before.updatedAt > weekAgo ? `since its last edit (${evidence.from.slice(0, 16).replace("T", " ")} UTC)` : "over the last 7 days"}: ${evidence.matched} matching call${evidence.matched === 1 ? "" : "s"}, ${evidence.changed} decided differently${changes ? ` (${changes})` : ""}`,
    });
    return after;
  });
}
