import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../../actor";
import { conflict, fieldErrorsUnder, invalid, notFound } from "../../errors";
import { lockRetention } from "../../locks";
import { maskUrl, privateTargetsAllowed, privateUrlReason } from "../../webhooks/outbound";
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

/** Every due sink is delivered to at once, each holding a connection. */
export const MAX_AUDIT_SINKS = 10;

export async function listAuditSinks(actor: Actor) {
  requireAdmin(actor);
  const [sinks, head] = await Promise.all([db().auditSink.findMany({ orderBy: { createdAt: "asc" } }), headPosition()]);
  return sinks.map((s) => auditSinkView(s, head));
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
  if (input.kind !== "syslog" && input.url.toLowerCase().startsWith("http:") && !privateTargetsAllowed())
    throw invalid("Use https://", {
      url: [
        "use https://: the trail (and a Splunk token) must not travel in clear text; http:// is for internal receivers, with WEBHOOK_ALLOW_PRIVATE=1",
      ],
    });
  if (input.kind === "syslog" && input.url.toLowerCase().startsWith("tcp:") && !privateTargetsAllowed())
    throw invalid("Use tls://", {
      url: [
        "use tls://: the trail must not travel in clear text; tcp:// is for internal receivers, with WEBHOOK_ALLOW_PRIVATE=1",
      ],
    });
  const blocked = privateUrlReason(input.url);
  if (blocked)
    throw invalid(`The URL ${blocked}`, {
      url: [`${blocked}; set WEBHOOK_ALLOW_PRIVATE=1 to allow internal receivers`],
    });
  const secret =
    input.kind === "https"
      ? `whsec_${randomBytes(24).toString("base64url")}`
      : input.kind === "splunk_hec"
        ? (input.token ?? null)
        : null;
  return inTransaction(async (tx) => {
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

/** Stops streaming to a sink and forgets how far it got. */
export async function deleteAuditSink(actor: Actor, meta: RequestMeta, id: string) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const before = await tx.auditSink.findUnique({ where: { id } });
    if (!before) throw notFound("Audit sink");
    await tx.auditSink.delete({ where: { id } });
    const { lag: _lag, ...view } = auditSinkView(before, before.ackedPosition);
    await writeAuditEvent(tx, actor, meta, {
      action: "audit.sink_deleted",
      targetType: "audit_sink",
      targetId: id,
      before: { ...view, url: maskUrl(view.url) },
    });
    return { deleted: id };
  });
}
