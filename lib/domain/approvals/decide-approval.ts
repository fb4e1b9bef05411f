import "server-only";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, DomainError, forbidden, notFound } from "../errors";
import { enqueueWebhookEvent } from "../webhooks/enqueue-webhook-event";
import { approvalSnapshot, deciderName, expireApproval, webhookData } from "./lifecycle";
import { getApproval } from "./queries";
import { ApproveInputSchema, DenyInputSchema } from "./schemas";
import { signalApprovalDecided } from "./signals";

/** Who decides runtime approvals: admins for every agent, team leads for their teams' agents. */
export function canDecideApprovals(actor: Actor): boolean {
  return actor.type === "user" && (actor.role === "admin" || actor.role === "team_lead");
}

function requireApprover(actor: Actor): asserts actor is Extract<Actor, { type: "user" }> {
  if (!canDecideApprovals(actor)) throw forbidden("Runtime approvals are decided by admins and team leads");
}

/** Approves: the agent may make this one call (same action, resource and arguments) until the grant expires. */
export async function approveApproval(actor: Actor, meta: RequestMeta, id: string, raw: unknown = {}) {
  requireApprover(actor);
  const { reason } = ApproveInputSchema.parse(raw ?? {});
  return decide(actor, meta, id, "approved", reason ?? null);
}

/** Denies, with a reason the agent and the audit trail get. */
export async function denyApproval(actor: Actor, meta: RequestMeta, id: string, raw: unknown = {}) {
  requireApprover(actor);
  const { reason } = DenyInputSchema.parse(raw ?? {});
  return decide(actor, meta, id, "denied", reason);
}

async function decide(
  actor: Extract<Actor, { type: "user" }>,
  meta: RequestMeta,
  id: string,
  status: "approved" | "denied",
  note: string | null,
  now = new Date(),
) {
  const expired = await inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM approval_requests WHERE id = ${id} FOR UPDATE`;
    const found = await tx.approvalRequest.findUnique({
      where: { id },
      include: { agent: { select: { id: true, slug: true, teamId: true } } },
    });
    // A team lead cannot tell another team's approvals from missing ones.
    if (!found || (actor.role === "team_lead" && !actor.teamIds.includes(found.agent.teamId)))
      throw notFound("Approval");
    const { agent, ...a } = found;
    if (a.status === "pending" && a.expiresAt <= now) {
      await expireApproval(tx, id, now);
      return true;
    }
    if (a.status !== "pending") throw conflict("request_closed", `This approval was already ${a.status}`);
    // A call asked for through the decision API (AuthZEN) names the person who asked: they cannot approve it.
    const askedById = (a.context as { askedById?: unknown } | null)?.askedById;
    if (status === "approved" && askedById === actor.id)
      throw new DomainError("forbidden", "self_approval", "You asked for this call: another approver must approve it");
    // An approval opens a window as long as the one the approver had to decide in, from now.
    const window = a.expiresAt.getTime() - a.createdAt.getTime();
    const decided = await tx.approvalRequest.update({
      where: { id },
      data: {
        status,
        decidedById: actor.id,
        decidedAt: now,
        decisionNote: note,
        ...(status === "approved" ? { expiresAt: new Date(now.getTime() + window) } : {}),
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: status === "approved" ? "approval.approved" : "approval.denied",
      targetType: "approval_request",
      targetId: id,
      agentId: agent.id,
      teamId: agent.teamId,
      outcome: "success",
      before: { status: "pending" },
      after: approvalSnapshot(decided),
      reason: note,
    });
    await enqueueWebhookEvent(tx, "approval.decided", webhookData(decided, agent, await deciderName(tx, actor.id)));
    return false;
  });
  signalApprovalDecided(id);
  if (expired) throw conflict("approval_expired", "This approval expired before it was decided; the agent was denied");
  return getApproval(actor, id);
}
