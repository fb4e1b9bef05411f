import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, systemActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockPendingApprovals } from "../locks";
import { microsToUsd, microsToUsdOrNull } from "../money";
import { enqueueWebhookEvent } from "../webhooks/enqueue-webhook-event";

/*
 * The steps of a runtime approval's life that run inside other commands' transactions: opened by authorize,
 * claimed (redeemed) by authorize, expired by whoever finds it due. Each writes its audit event and webhook in
 * the caller's transaction.
 */

type AgentRef = { id: string; slug: string; teamId: string };
const agentActor = (a: AgentRef): Actor => ({ type: "agent", id: a.id, label: a.slug, teamId: a.teamId });

export type ApprovalRow = NonNullable<Awaited<ReturnType<Tx["approvalRequest"]["findUnique"]>>>;

/** What webhooks say about an approval (never the call's context: it may carry data the receiver should not see). */
export function webhookData(a: ApprovalRow, agent: { slug: string }, decidedBy: string | null = null) {
  return {
    approvalId: a.id,
    agent: agent.slug,
    status: a.status,
    action: a.action,
    resource: a.resource,
    estimatedCostUsd: microsToUsdOrNull(a.estimatedMicros),
    argumentsDigest: a.argumentsDigest,
    expiresAt: a.expiresAt.toISOString(),
    decidedBy,
    note: a.decisionNote,
  };
}

/** The audit snapshot of an approval: what was asked, and where it stands. */
export const approvalSnapshot = (a: ApprovalRow) => ({
  status: a.status,
  action: a.action,
  resource: a.resource,
  ruleId: a.ruleId,
  argumentsDigest: a.argumentsDigest,
  estimatedCostUsd: microsToUsdOrNull(a.estimatedMicros),
  expiresAt: a.expiresAt.toISOString(),
});

export type OpenApprovalInput = {
  decisionId: string;
  rule: { id: string; position: number; approvalTimeoutMinutes: number };
  action: string;
  resource: string;
  estimatedMicros: bigint | null;
  model: string | null;
  context: Record<string, unknown> | null;
  argumentsDigest: string | null;
  reason: string;
};

/** Opens an approval request for a call a rule allows only with a person's approval (authorize's pending path). */
export async function openApproval(tx: Tx, agent: AgentRef, meta: RequestMeta, input: OpenApprovalInput, now: Date) {
  const approval = await tx.approvalRequest.create({
    data: {
      agentId: agent.id,
      ruleId: input.rule.id,
      rulePosition: input.rule.position,
      action: input.action,
      resource: input.resource,
      estimatedMicros: input.estimatedMicros,
      model: input.model,
      context: (input.context ?? undefined) as never,
      argumentsDigest: input.argumentsDigest,
      reason: input.reason,
      decisionId: input.decisionId,
      expiresAt: new Date(now.getTime() + input.rule.approvalTimeoutMinutes * 60_000),
      createdAt: now,
    },
  });
  await writeAuditEvent(tx, agentActor(agent), meta, {
    action: "approval.requested",
    targetType: "approval_request",
    targetId: approval.id,
    agentId: agent.id,
    teamId: agent.teamId,
    after: { ...approvalSnapshot(approval), decisionId: input.decisionId, context: input.context },
    reason: input.reason,
  });
  await enqueueWebhookEvent(tx, "approval.requested", webhookData(approval, agent));
  return approval;
}

/** Decided-by name for webhooks and the agent's view. */
export async function deciderName(tx: Tx, id: string | null) {
  if (!id) return null;
  return (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}

/**
 * Expires an approval whose time is up: undecided by `expiresAt`, or approved and not redeemed by then. A no-op
 * (null) when it was decided, redeemed or expired meanwhile: the conditional UPDATE makes racing callers safe.
 * `closedBy`: expired before its time, by a person's change (its rule changed), with their reason.
 */
export async function expireApproval(
  tx: Tx,
  id: string,
  now: Date,
  closedBy?: { actor: Actor; meta: RequestMeta; reason: string },
): Promise<ApprovalRow | null> {
  const [old] = await tx.$queryRaw<{ status: string; expiresAt: Date }[]>`
    SELECT status::text AS status, "expiresAt" FROM approval_requests WHERE id = ${id} FOR UPDATE`;
  if (!old || !(old.status === "pending" || old.status === "approved") || (!closedBy && old.expiresAt > now))
    return null;
  const approval = await tx.approvalRequest.update({
    where: { id },
    data: { status: "expired", ...(closedBy ? { expiresAt: now } : {}) },
    include: { agent: { select: { id: true, slug: true, teamId: true } } },
  });
  const { agent, ...a } = approval;
  const row = { before: old.status };
  const undecided = row.before === "pending";
  await writeAuditEvent(tx, closedBy?.actor ?? systemActor("approval timeout"), closedBy?.meta ?? {}, {
    action: "approval.expired",
    targetType: "approval_request",
    targetId: id,
    agentId: agent.id,
    teamId: agent.teamId,
    outcome: "denied",
    before: { status: row.before },
    after: approvalSnapshot(a),
    reason:
      closedBy?.reason ??
      (undecided ? "Nobody decided before it expired" : "The approved call was not made before the grant expired"),
  });
  await enqueueWebhookEvent(tx, "approval.decided", webhookData(a, agent, await deciderName(tx, a.decidedById)));
  return a;
}

/**
 * Closes the approvals a rule asked for and nobody used yet (waiting, or approved and not redeemed) when the rule is
 * changed or deleted: each was judged under the rule as it was, and a rule switched to deny and back must not bring
 * back a grant made before the change.
 */
export async function closeApprovalsOfRule(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  ruleId: string,
  reason: string,
): Promise<number> {
  return closeOpenApprovals(tx, { actor, meta, reason }, Prisma.sql`"ruleId" = ${ruleId}`);
}

/**
 * Closes an agent's approvals nobody used yet (waiting, or approved and not redeemed) when it is suspended, resumed or
 * retired: the kill switch stops what was waiting for a person too, and a resumed agent holds no grant made before it
 * was stopped. The caller holds the agent's row and has written no audit event yet in this transaction.
 */
export async function closeApprovalsOfAgent(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  reason: string,
): Promise<number> {
  return closeOpenApprovals(tx, { actor, meta, reason }, Prisma.sql`"agentId" = ${agentId}`);
}

/** Expires, in the closer's name, every approval where `where` holds that nobody used yet; returns how many. */
async function closeOpenApprovals(
  tx: Tx,
  closedBy: { actor: Actor; meta: RequestMeta; reason: string },
  where: Prisma.Sql,
): Promise<number> {
  // All of them locked before the first audit event takes the chain's head (a decision holding one of them waits
  // for the head: taking them one by one between events could deadlock with it).
  const open = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM approval_requests WHERE ${where} AND status IN ('pending', 'approved')
    ORDER BY id FOR UPDATE`;
  const now = new Date();
  for (const { id } of open) await expireApproval(tx, id, now, closedBy);
  return open.length;
}

export type Claim =
  | { ok: true; approval: ApprovalRow; approvedBy: string | null }
  | { ok: false; code: "pending"; approval: ApprovalRow }
  | { ok: false; code: "approval_denied" | "approval_expired" | "approval_invalid"; reason: string };

/**
 * Redeems an approved grant for this exact call: a conditional UPDATE (approved, not expired, same agent, action,
 * resource and arguments digest, an estimate no higher than the approved one) takes it, so two concurrent redemptions cannot both succeed — the second waits on
 * the row and then finds it redeemed. On failure, says why.
 */
export async function claimGrant(
  tx: Tx,
  agent: AgentRef,
  call: { approvalId: string; action: string; resource: string; argumentsDigest: string | null },
  estimate: bigint | null,
  now: Date,
  /** The person redeeming through the decision API, who may not redeem an approval they decided themselves. */
  redeemer: string | null = null,
): Promise<Claim> {
  const claimed = await tx.approvalRequest.updateManyAndReturn({
    where: {
      id: call.approvalId,
      ...(redeemer ? { decidedById: { not: redeemer } } : {}),
      agentId: agent.id,
      status: "approved",
      expiresAt: { gt: now },
      action: call.action,
      resource: call.resource,
      argumentsDigest: call.argumentsDigest,
      // The approver judged the estimate they saw (or that there was none): a redemption may not raise it, drop it or
      // add one.
      estimatedMicros: estimate === null ? null : { gte: estimate },
    },
    data: { status: "redeemed", redeemedAt: now },
  });
  if (claimed.length === 1) {
    return { ok: true, approval: claimed[0], approvedBy: await deciderName(tx, claimed[0].decidedById) };
  }
  const found = await tx.approvalRequest.findFirst({ where: { id: call.approvalId, agentId: agent.id } });
  const invalid = (reason: string) => ({ ok: false as const, code: "approval_invalid" as const, reason });
  if (!found) return invalid("Unknown approval: it was not asked for by this agent");
  let a = found;
  if ((a.status === "pending" || a.status === "approved") && a.expiresAt <= now)
    a = (await expireApproval(tx, a.id, now)) ?? (await tx.approvalRequest.findUniqueOrThrow({ where: { id: a.id } }));
  switch (a.status) {
    case "pending":
      // Still waiting, but only for this very call: another call gets no claim on it.
      if (a.action !== call.action || a.resource !== call.resource || a.argumentsDigest !== call.argumentsDigest)
        return invalid(`This approval is for ${a.action} on ${a.resource}; it cannot be used for another call`);
      return { ok: false, code: "pending", approval: a };
    case "denied":
      return {
        ok: false,
        code: "approval_denied",
        reason: `Approval denied${a.decisionNote ? `: ${a.decisionNote}` : ""}`,
      };
    case "expired":
      return { ok: false, code: "approval_expired", reason: "The approval expired before it was used" };
    case "redeemed":
      return invalid("This approval was already used: an approval allows one call");
    case "approved":
      if (redeemer && a.decidedById === redeemer)
        return invalid("You approved this call: someone else must ask for it (whoever asks cannot be the approver)");
      if (a.action === call.action && a.resource === call.resource && a.argumentsDigest === call.argumentsDigest)
        return invalid(
          a.estimatedMicros === null
            ? "This approval is for a call without a cost estimate; ask again for an estimated call"
            : `This approval is for an estimate of at most $${microsToUsd(a.estimatedMicros)}; redeem it with an estimate no higher, or ask again`,
        );
      return invalid(
        `This approval is for ${a.action} on ${a.resource}${a.argumentsDigest ? " with its own arguments digest" : ""}; it cannot be used for another call`,
      );
  }
}

/**
 * Calls of one agent waiting for a person at once: past it a new one is refused (`approvals_pending_limit`), so an
 * agent (or a stolen key) cannot bury its approvers' inbox under requests that differ only in their arguments.
 */
export const MAX_PENDING_APPROVALS = 50;

/**
 * Whether the agent has as many undecided, unexpired approvals as it may. The agent's approvals are counted under a
 * lock of their own (to the end of the transaction), so calls racing past the count open one each, not one too many.
 */
export async function atPendingLimit(tx: Tx, agentId: string, now: Date): Promise<boolean> {
  await lockPendingApprovals(tx, agentId);
  const n = await tx.approvalRequest.count({ where: { agentId, status: "pending", expiresAt: { gt: now } } });
  return n >= MAX_PENDING_APPROVALS;
}

/**
 * An agent asking again for the same call while its approval is still pending gets that approval, not a new one:
 * retries and loops do not flood the approvers' inbox (nor the audit trail and webhooks).
 */
export async function findOpenApproval(
  tx: Tx,
  agentId: string,
  call: { action: string; resource: string; argumentsDigest: string | null },
  now: Date,
) {
  return tx.approvalRequest.findFirst({
    where: { agentId, status: "pending", expiresAt: { gt: now }, ...call },
    orderBy: { createdAt: "asc" },
  });
}

/** Gives a claimed grant back when the call it was redeemed for is refused anyway (e.g. by a budget). */
export async function releaseGrant(tx: Tx, approvalId: string) {
  await tx.approvalRequest.update({ where: { id: approvalId }, data: { status: "approved", redeemedAt: null } });
}

/** Records which decision used the grant, and audits the redemption. */
export async function recordRedemption(
  tx: Tx,
  agent: AgentRef,
  meta: RequestMeta,
  approval: ApprovalRow,
  decisionId: string,
) {
  const a = await tx.approvalRequest.update({ where: { id: approval.id }, data: { redeemedDecisionId: decisionId } });
  await writeAuditEvent(tx, agentActor(agent), meta, {
    action: "approval.redeemed",
    targetType: "approval_request",
    targetId: a.id,
    agentId: agent.id,
    teamId: agent.teamId,
    before: { status: "approved" },
    after: { ...approvalSnapshot(a), decisionId },
  });
}
