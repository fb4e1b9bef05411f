import { inTransaction } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid, notFound } from "../errors";
import { UpdateAgentSchema, type UpdateAgentInput } from "./schemas";

/** Edits an agent's metadata; the audit event records only the fields that changed. */
export async function updateAgent(actor: Actor, meta: RequestMeta, agentId: string, raw: UpdateAgentInput) {
  requireAdmin(actor);
  const patch = UpdateAgentSchema.parse(raw);
  return inTransaction(async (tx) => {
    const current = await tx.agent.findUnique({ where: { id: agentId } });
    if (!current) throw notFound("Agent");
    if (patch.teamId && !(await tx.team.findUnique({ where: { id: patch.teamId }, select: { id: true } }))) {
      throw invalid("Unknown team", { teamId: ["this team does not exist"] });
    }
    if (patch.ownerId && !(await tx.user.findUnique({ where: { id: patch.ownerId }, select: { id: true } }))) {
      throw invalid("Unknown owner", { ownerId: ["this user does not exist"] });
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch) as [keyof typeof patch, unknown][]) {
      if (v !== undefined && current[k] !== v) {
        before[k] = current[k];
        after[k] = v;
      }
    }
    if (Object.keys(after).length === 0) return current;
    const updated = await tx.agent.update({ where: { id: agentId }, data: after });
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.updated",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: updated.teamId,
      before,
      after,
    });
    return updated;
  });
}
