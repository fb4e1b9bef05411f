import "server-only";
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
 * Rejects every request a person has waiting, in the transaction that deactivates them or takes their admin role
 * away (before their row changes, so it takes locks in the order an approval does): a locked-out account's
 * "urgent" requests must not stay in other admins' inboxes to be approved. Returns how many.
 */
export async function withdrawRequestsOf(tx: Tx, actor: Actor, meta: RequestMeta, userId: string, why: string) {
  const waiting = await tx.changeRequest.findMany({
    where: { requestedById: userId, status: "pending" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  for (const { id } of waiting) await reject(tx, actor, meta, await loadPending(tx, id), why);
  return waiting.length;
}
