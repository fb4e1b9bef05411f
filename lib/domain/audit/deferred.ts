import "server-only";
import { v7 as uuidv7 } from "uuid";
import { inTransaction, type SqlTx } from "@/lib/db/tx";
import { runEvery } from "@/lib/periodic";
import type { Actor, RequestMeta } from "../actor";
import {
  type AuditEventInput,
  toAuditJson,
  writeAuditEvent,
  writeAuditEventIfFree,
  writeAuditEvents,
} from "./write-audit-event";

/*
 * High-volume audit events that must not queue on the chain head: a runtime denial appends at once when the head is
 * free, and otherwise goes to the audit outbox in the same transaction (so it commits or rolls back with the decision
 * it records), to be appended by the appender a moment later, oldest first, each with the time it happened. A flood
 * of denied calls therefore makes a person's governed change wait at most for the append in progress (one denial's,
 * or one appender batch).
 */

/**
 * Appends the event now if no other transaction holds the chain head, else queues it in the outbox. Either way it
 * is part of `tx`. Returns where it went.
 */
export async function writeOrDeferAuditEvent(
  tx: SqlTx,
  actor: Actor,
  meta: RequestMeta,
  input: AuditEventInput,
): Promise<"appended" | "deferred"> {
  const occurredAt = new Date();
  if (await writeAuditEventIfFree(tx, actor, meta, input, occurredAt)) return "appended";
  // No head row yet (a fresh database): writeAuditEvent creates it.
  if ((await tx.$queryRaw<unknown[]>`SELECT 1 FROM audit_chain_head WHERE id = 1`).length === 0) {
    await writeAuditEvent(tx, actor, meta, input, occurredAt);
    return "appended";
  }
  await tx.$executeRaw`
    INSERT INTO audit_outbox (id, "occurredAt", actor, meta, event)
    VALUES (${uuidv7()}, ${occurredAt}::timestamp(3), ${JSON.stringify(actor)}::jsonb,
      ${JSON.stringify({ requestId: meta.requestId ?? null, ip: meta.ip ?? null })}::jsonb,
      ${JSON.stringify(toAuditJson(input))}::jsonb)`;
  return "deferred";
}

type OutboxRow = { id: string; occurredAt: Date; actor: Actor; meta: RequestMeta; event: AuditEventInput };

/**
 * Appends up to `batch` queued events to the chain, oldest first, in one transaction (holding the head for that
 * batch only, appended in two statements), and removes them from the outbox; returns how many. Safe to run in several
 * processes at once: the head is locked before the outbox is read, so appenders take turns and each appends the
 * oldest rows left.
 */
export async function appendDeferredAuditEvents(batch = 50): Promise<number> {
  return inTransaction(async (tx) => {
    if ((await tx.$queryRaw<unknown[]>`SELECT 1 FROM audit_outbox LIMIT 1`).length === 0) return 0;
    await tx.$executeRaw`SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
    const rows = await tx.$queryRaw<OutboxRow[]>`
      SELECT id, "occurredAt", actor, meta, event FROM audit_outbox ORDER BY id LIMIT ${batch}`;
    await writeAuditEvents(
      tx,
      rows.map((r) => ({ actor: r.actor, meta: r.meta, input: r.event, occurredAt: r.occurredAt })),
    );
    if (rows.length) await tx.$executeRaw`DELETE FROM audit_outbox WHERE id = ANY(${rows.map((r) => r.id)}::text[])`;
    return rows.length;
  });
}

/** Appends everything queued (in batches); returns how many. */
export async function drainAuditOutbox(batch = 50): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await appendDeferredAuditEvents(batch);
    total += n;
    if (n < batch) return total;
  }
}

/** Drains the audit outbox on an interval in the server process (AUDIT_APPEND_MS: 50 ms or more, default 500 ms). */
export function startAuditAppender(configured = Number(process.env.AUDIT_APPEND_MS || 500)) {
  runEvery("audit appender", Number.isFinite(configured) && configured >= 50 ? configured : 500, drainAuditOutbox);
}
