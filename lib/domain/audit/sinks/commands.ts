import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../../actor";
import {
  isPerson,
  openChangeRequest,
  type PendingChange,
  pendingRequests,
  type SinkRemoval,
} from "../../changes/open-change-request";
import { conflict, fieldErrorsUnder, invalid, notFound } from "../../errors";
import { lockAuditSink, lockRetention } from "../../locks";
import { requireFreshProof, tokensStillIssue } from "../../users/fresh-proof";
import { maskUrl } from "../../webhooks/mask-url";
import { outboundUrlProblem } from "../../webhooks/outbound";
import { auditBase } from "../base";
import { writeAuditEvent } from "../write-audit-event";
import { AuditSinkInputSchema } from "./schemas";

type SinkRow = Awaited<ReturnType<ReturnType<typeof db>["auditSink"]["findFirstOrThrow"]>>;

/** A sink as the API lists it: never its secret; its lag behind the chain head. */
export function auditSinkView(s: SinkRow, head: bigint) {
  const { secret: _secret, leaseUntil: _lease, ackedPosition, ...rest } = s;
  return {
    ...rest,
    ackedPosition: String(ackedPosition),
    lag: Number(head > ackedPosition ? head - ackedPosition : 0n),
  };
}

const headPosition = async (client: Pick<ReturnType<typeof db>, "auditChainHead"> = db()) =>
  (await client.auditChainHead.findUnique({ where: { id: 1 } }))?.position ?? 0n;

/** The sink deletions waiting for a second admin. */
const pendingRemovals = async (client: Pick<Tx, "changeRequest">) =>
  (await pendingRequests<SinkRemoval>(client, "audit_sink")).map((r) => ({
    requestId: r.id,
    sinkId: r.payload.sinkId,
  }));

/** Where the trail recorded each of these deletion requests (its `change.requested` event). */
const requestPositions = async (client: Pick<ReturnType<typeof db>, "auditEvent">, requestIds: string[]) =>
  new Map(
    requestIds.length === 0
      ? []
      : (
          await client.auditEvent.findMany({
            where: { targetId: { in: requestIds }, action: "change.requested" },
            select: { targetId: true, position: true },
          })
        ).map((e) => [e.targetId, e.position]),
  );

/**
 * How many audit events a sink has yet to receive up to its own deletion request (0 once it has it): deleted now,
 * they never reach it, so approving then needs a note. One rule for the approval and for the Approvals card.
 */
const unreceivedUpToRequest = (ackedPosition: bigint, asked: bigint | undefined) =>
  asked !== undefined && ackedPosition < asked ? Number(asked - ackedPosition) : 0;

/** Every due sink is delivered to at once, each holding a connection. */
export const MAX_AUDIT_SINKS = 10;

export async function listAuditSinks(actor: Actor) {
  requireAdmin(actor);
  const [sinks, head, removals] = await Promise.all([
    db().auditSink.findMany({ orderBy: { createdAt: "asc" } }),
    headPosition(),
    pendingRemovals(db()),
  ]);
  const removal = new Map(removals.map((r) => [r.sinkId, r.requestId]));
  const asked = await requestPositions(
    db(),
    removals.map((r) => r.requestId),
  );
  return sinks.map((s) => {
    const requestId = removal.get(s.id) ?? null;
    return {
      ...auditSinkView(s, head),
      removalRequestId: requestId,
      removalUnreceived: requestId ? unreceivedUpToRequest(s.ackedPosition, asked.get(requestId)) : 0,
    };
  });
}

/**
 * Adds a SIEM sink. An https sink gets a generated HMAC signing secret, returned here only; a Splunk HEC sink keeps
 * the token given. It starts from the start of the retained trail, or from the current head (`startFrom: "now"`),
 * and its own creation is among the first records it receives.
 */
export async function createAuditSink(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const parsed = AuditSinkInputSchema.safeParse(raw);
  if (!parsed.success) throw invalid("Check the sink's fields", fieldErrorsUnder("", parsed.error));
  const input = parsed.data;
  const refused = outboundUrlProblem(input.url);
  if (refused) throw invalid(refused.title, { url: [refused.field] });
  // A sink sends the whole trail on, for as long as it stays: a stolen cookie must not be able to leave one behind.
  await requireFreshProof(actor, meta, input.currentPassword, "add a SIEM sink");
  const secret =
    input.kind === "https"
      ? `whsec_${randomBytes(24).toString("base64url")}`
      : input.kind === "splunk_hec"
        ? (input.token ?? null)
        : null;
  return inTransaction(async (tx) => {
    await tokensStillIssue(tx, actor, "add a SIEM sink");
    await lockRetention(tx); // so the start read here cannot be pruned before the sink is seen
    if ((await tx.auditSink.count()) >= MAX_AUDIT_SINKS)
      throw conflict("limit_reached", `At most ${MAX_AUDIT_SINKS} SIEM sinks: delete one first`);
    const ackedPosition = input.startFrom === "now" ? await headPosition(tx) : (await auditBase(tx)).position;
    const sink = await tx.auditSink.create({
      data: {
        name: input.name,
        kind: input.kind,
        url: input.url,
        secret,
        // Enough to tell secrets apart, never enough to matter: "whsec_" and 4 characters; a token's first 4.
        secretPrefix: secret
          ? secret.slice(0, input.kind === "https" ? 10 : Math.min(4, secret.length >> 2)) || null
          : null,
        ackedPosition,
      },
    });
    const view = auditSinkView(sink, ackedPosition);
    const { lag: _lag, ...after } = view;
    await writeAuditEvent(tx, actor, meta, {
      action: "audit.sink_added",
      targetType: "audit_sink",
      targetId: sink.id,
      after: { ...after, url: maskUrl(after.url) },
    });
    return { ...view, secret: input.kind === "https" ? secret : null };
  });
}

/**
 * Stops streaming to a sink and forgets how far it got. The sink is the trail's copy outside this product: one admin
 * stopping it could make a change no outside copy ever sees, so a person's deletion waits for a second admin (a
 * change request, which the sink itself receives while it waits); the system acts alone. Asking again while one
 * waits answers that request.
 */
export async function deleteAuditSink(
  actor: Actor,
  meta: RequestMeta,
  id: string,
): Promise<{ deleted: string } | { pendingChange: PendingChange }> {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    await lockAuditSink(tx, id);
    const sink = await tx.auditSink.findUnique({ where: { id } });
    if (!sink) throw notFound("Audit sink");
    if (!isPerson(actor)) {
      await removeSink(tx, actor, meta, sink);
      return { deleted: id };
    }
    const waiting = (await pendingRemovals(tx)).find((r) => r.sinkId === id);
    if (waiting) return { pendingChange: { status: "pending_approval", requestId: waiting.requestId } };
    const payload: SinkRemoval = { sinkId: id, name: sink.name, kind: sink.kind, url: maskUrl(sink.url) };
    return { pendingChange: await openChangeRequest(tx, actor, meta, { change: "audit_sink", payload, reason: "" }) };
  });
}

/**
 * Deletes a sink once a second admin approved it (the approving transaction). A sink that has not yet received the
 * request itself would never see what came before it (the change that prompted it, say): the approver then says why
 * in the approval's note (a receiver that is gone for good), or waits for it to catch up.
 */
export async function applySinkRemoval(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  change: SinkRemoval,
  approval: { requestId: string; requestedById: string; note?: string },
) {
  await lockAuditSink(tx, change.sinkId);
  const sink = await tx.auditSink.findUnique({ where: { id: change.sinkId } });
  if (!sink) throw conflict("request_stale", "This sink no longer exists: reject the request");
  const unreceived = unreceivedUpToRequest(
    sink.ackedPosition,
    (await requestPositions(tx, [approval.requestId])).get(approval.requestId),
  );
  if (unreceived > 0 && !approval.note)
    throw conflict(
      "sink_behind",
      `"${sink.name}" has not received ${unreceived} audit events yet, this request among them: wait for it to catch up, or approve with a note saying why it goes without them`,
    );
  const { note: _note, ...requested } = approval;
  await removeSink(tx, actor, meta, sink, requested);
}

async function removeSink(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  sink: SinkRow,
  approval?: { requestId: string; requestedById: string },
) {
  await tx.auditSink.delete({ where: { id: sink.id } });
  const { lag: _lag, ...view } = auditSinkView(sink, sink.ackedPosition);
  await writeAuditEvent(tx, actor, meta, {
    action: "audit.sink_deleted",
    targetType: "audit_sink",
    targetId: sink.id,
    before: { ...view, url: maskUrl(view.url) },
    ...(approval ? { after: approval } : {}),
  });
}
