import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { lockAgent } from "../locks";
import { changeAudit } from "./open-change-request";

/** A request still waiting, locked for its decision (its agent's row first). 404 unknown, 409 request_closed. */
export async function loadPending(tx: Tx, requestId: string) {
  const found = await tx.changeRequest.findUnique({ where: { id: requestId }, select: { agentId: true } });
  if (!found) throw notFound("Change request");
  // Two admins deciding at once queue on the request row; an agent's row is locked first, in the order retiring an
  // agent takes them, so a decision and a retirement queue instead of deadlocking.
  if (found.agentId) await lockAgent(tx, found.agentId);
  await tx.$executeRaw`SELECT 1 FROM change_requests WHERE id = ${requestId} FOR UPDATE`;
  const request = await tx.changeRequest.findUniqueOrThrow({
    where: { id: requestId },
    include: { agent: true, version: true },
  });
  if (request.status !== "pending") throw conflict("request_closed", `This request was already ${request.status}`);
  return request;
}
export type Pending = Awaited<ReturnType<typeof loadPending>>;

/** Rejects a waiting request (loaded by loadPending), audited with the note. */
export async function reject(tx: Tx, actor: Actor, meta: RequestMeta, request: Pending, note: string | undefined) {
  const decided = await tx.changeRequest.update({
    where: { id: request.id },
    data: {
      status: "rejected",
      decidedById: actor.type === "user" ? actor.id : null,
      decidedAt: new Date(),
      decisionNote: note ?? null,
    },
  });
  await writeAuditEvent(tx, actor, meta, {
    ...changeAudit(request.change, "rejected"),
    targetId: request.id,
    agentId: request.agentId,
    teamId: request.agent?.teamId ?? null,
    before: { status: "pending" },
    after: {
      status: "rejected",
      change: request.change,
      ...(request.version ? { version: request.version.number } : {}),
    },
    reason: note ?? null,
  });
  return decided;
}

/**
 * Rejects the requests where `where` holds that are still waiting, each audited as a person's rejection is, in the
 * transaction of a change that makes them moot (an agent retired, a canary rolled back). The caller holds the agent's
 * row; the requests are locked before the first audit event takes the chain's head. Returns how many were rejected.
 */
export async function rejectWaiting(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  where: Prisma.ChangeRequestWhereInput,
  note: string,
) {
  const ids = (await tx.changeRequest.findMany({ where: { ...where, status: "pending" }, select: { id: true } })).map(
    (r) => r.id,
  );
  return ids.length ? rejectStillWaiting(tx, actor, meta, ids, note) : 0;
}

/** Locks the requests (in id order), then rejects those still waiting; returns how many. */
async function rejectStillWaiting(tx: Tx, actor: Actor, meta: RequestMeta, ids: string[], note: string) {
  await tx.$executeRaw`SELECT 1 FROM change_requests WHERE id = ANY(${[...ids].sort()}::text[]) ORDER BY id FOR UPDATE`;
  const still = await tx.changeRequest.findMany({
    where: { id: { in: ids }, status: "pending" },
    include: { agent: true, version: true },
    orderBy: { id: "asc" },
  });
  for (const request of still) await reject(tx, actor, meta, request, note);
  return still.length;
}

/**
 * Rejects every request a person has waiting, in the transaction that deactivates them or takes their admin role
 * away: a locked-out account's "urgent" requests must not stay in other admins' inboxes to be approved. Every row is
 * locked before any audit event takes the chain's head (the person, agents in id order, then the requests), and a request
 * decided meanwhile is left as it is. Returns how many were rejected.
 */
export async function withdrawRequestsOf(tx: Tx, actor: Actor, meta: RequestMeta, userId: string, why: string) {
  // The person's row first (an approval takes it, shared, before the agent and the request; an admin's is already
  // held, with the other admins', by the last-admin check).
  await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${userId} FOR UPDATE`;
  const waiting = await tx.changeRequest.findMany({
    where: { requestedById: userId, status: "pending" },
    select: { id: true, agentId: true },
  });
  if (!waiting.length) return 0;
  for (const agentId of [...new Set(waiting.flatMap((r) => (r.agentId ? [r.agentId] : [])))].sort())
    await lockAgent(tx, agentId);
  return rejectStillWaiting(
    tx,
    actor,
    meta,
    waiting.map((r) => r.id),
    why,
  );
}
