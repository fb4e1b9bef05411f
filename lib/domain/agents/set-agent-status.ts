import "server-only";
import { z } from "zod";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { closeApprovalsOfAgent } from "../approvals/lifecycle";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid, notFound } from "../errors";
import { lockAgent } from "../locks";

export const SuspendSchema = z.object({ reason: z.string().trim().min(1, "a reason is required").max(1000) });
export const ResumeSchema = z.object({ reason: z.string().trim().optional() });

async function setStatus(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  status: "active" | "suspended",
  reason: string,
) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    // Locked before it is read: a retirement committing meanwhile is seen (and refused), not overwritten.
    await lockAgent(tx, agentId);
    const agent = await tx.agent.findUnique({ where: { id: agentId } });
    if (!agent) throw notFound("Agent");
    if (agent.status === "retired") throw invalid("A retired agent cannot change status");
    if (agent.status === status) return agent;
    const updated = await tx.agent.update({
      where: { id: agentId },
      data: { status, statusReason: status === "suspended" ? reason : null },
    });
    // Stopped means stopped: no call of it waits for a person any more, and no grant outlives the suspension (nor one
    // left from a suspension before suspensions closed them: a resumed agent starts with none).
    const approvalsClosed = await closeApprovalsOfAgent(
      tx,
      actor,
      meta,
      agentId,
      status === "suspended" ? `The agent was suspended: ${reason}` : "The agent was resumed: its calls ask again",
    );
    await writeAuditEvent(tx, actor, meta, {
      action: status === "suspended" ? "agent.suspended" : "agent.resumed",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      before: { status: agent.status },
      after: { status, ...(approvalsClosed ? { approvalsClosed } : {}) },
      reason,
    });
    return updated;
  });
}

/**
 * The kill switch: from the next runtime call, authorize denies and config answers 403; the approvals it was waiting
 * for, or had been granted and not used, expire (a resumed agent asks again).
 */
export async function suspendAgent(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor); // before validating, so non-admins get 403 rather than 422
  const { reason } = SuspendSchema.parse(raw);
  return setStatus(actor, meta, agentId, "suspended", reason);
}

export async function resumeAgent(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { reason } = ResumeSchema.parse(raw ?? {});
  return setStatus(actor, meta, agentId, "active", reason || "resumed");
}
