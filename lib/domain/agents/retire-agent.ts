import { z } from "zod";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";

export const RetireSchema = z
  .object({ reason: z.string().trim().min(1, "a reason is required").max(1000) })
  .meta({ id: "RetireAgent" });

/**
 * Decommissions an agent for good: status `retired` (it cannot be resumed), every key revoked at once and
 * pending deployment requests rejected, in one transaction. Its history, spend and audit trail stay.
 */
export async function retireAgent(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor); // before validating, so non-admins get 403 rather than 422
  const { reason } = RetireSchema.parse(raw);
  return inTransaction(async (tx) => {
    // Lock the agent first: a key or version being added right now commits before the revocation below sees it.
    const agent = await lockLiveAgent(tx, agentId, "update");
    const now = new Date();
    const keys = await tx.agentKey.updateMany({ where: { agentId, revokedAt: null }, data: { revokedAt: now } });
    const requests = await tx.changeRequest.updateMany({
      where: { agentId, status: "pending" },
      data: {
        status: "rejected",
        decidedAt: now,
        decidedById: actor.type === "user" ? actor.id : null,
        decisionNote: `agent retired: ${reason}`,
      },
    });
    const updated = await tx.agent.update({
      where: { id: agentId },
      data: { status: "retired", statusReason: reason },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.retired",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      before: { status: agent.status },
      after: { status: "retired", keysRevoked: keys.count, requestsRejected: requests.count },
      reason,
    });
    return updated;
  });
}

/**
 * For commands that add to an agent (keys, versions, deployments): the agent row locked, so a concurrent
 * retirement waits for them (or they see it), refused once it is retired. Commands that go on to update the
 * agent row take the update lock at once (upgrading a share lock could deadlock two of them).
 */
export async function lockLiveAgent(
  tx: Tx,
  agentId: string,
  mode: "share" | "update" = "share",
): Promise<{ id: string; teamId: string; status: string }> {
  const lock = mode === "update" ? Prisma.sql`FOR UPDATE` : Prisma.sql`FOR SHARE`;
  const [agent] = await tx.$queryRaw<
    { id: string; teamId: string; status: string }[]
  >`SELECT id, "teamId", status::text AS status FROM agents WHERE id = ${agentId} ${lock}`;
  if (!agent) throw notFound("Agent");
  if (agent.status === "retired")
    throw conflict("agent_retired", "This agent is retired: it gets no new keys, versions or deployments");
  return agent;
}
