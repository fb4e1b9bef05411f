import "server-only";
import { z } from "zod";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { closeApprovalsOfAgent } from "../approvals/lifecycle";
import { writeAuditEvent } from "../audit/write-audit-event";
import { endRunningCanary } from "../canaries/end-canary";
import { rejectWaiting } from "../changes/reject";
import { lockLiveAgent } from "../locks";

export const RetireSchema = z
  .object({ reason: z.string().trim().min(1, "a reason is required").max(1000) })
  .meta({ id: "RetireAgent" });

/**
 * Decommissions an agent for good: status `retired` (it cannot be resumed), every key revoked at once, its unused
 * approvals expired and its waiting change requests rejected, in one transaction. Its history, spend and audit trail stay.
 */
export async function retireAgent(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor); // before validating, so non-admins get 403 rather than 422
  const { reason } = RetireSchema.parse(raw);
  return inTransaction(async (tx) => {
    // Lock the agent first: a key or version being added right now commits before the revocation below sees it.
    const agent = await lockLiveAgent(tx, agentId, "update");
    const now = new Date();
    const keys = await tx.agentKey.updateMany({ where: { agentId, revokedAt: null }, data: { revokedAt: now } });
    // Its approvals nobody used first: their rows are locked before the first audit event takes the chain's head (an
    // approver deciding one holds its row while waiting for the head). Then each waiting request, rejected and audited
    // as a person's rejection is (deployment.rejected, change.rejected); whoever decides one locks this agent first.
    const approvalsClosed = await closeApprovalsOfAgent(tx, actor, meta, agentId, `The agent was retired: ${reason}`);
    const requestsRejected = await rejectWaiting(tx, actor, meta, { agentId }, `agent retired: ${reason}`);
    const updated = await tx.agent.update({
      where: { id: agentId },
      data: { status: "retired", statusReason: reason },
    });
    await endRunningCanary(tx, actor, meta, agent, "aborted", `Agent retired: ${reason}`);
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.retired",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      before: { status: agent.status },
      after: {
        status: "retired",
        keysRevoked: keys.count,
        requestsRejected,
        ...(approvalsClosed ? { approvalsClosed } : {}),
      },
      reason,
    });
    return updated;
  });
}
