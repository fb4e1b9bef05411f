import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { runEvery } from "@/lib/periodic";
import { auditEventView } from "../view";
import { sendBatch } from "./transports";

/** How long the batch size that got through is kept after a refusal before a bigger one is tried. */
const GROW_AFTER_MS = 10 * 60_000;
const tooBig = (err: unknown, text: string) => (err as { status?: number }).status === 413 || text === "timed out";

/** A positive number from the environment, else the default (a typo never turns into NaN or an Invalid Date). */
const envNumber = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};
const BATCH = () => Math.floor(envNumber("AUDIT_SINK_BATCH", 500));
const TIMEOUT_MS = () => envNumber("AUDIT_SINK_TIMEOUT_MS", 10_000);
/** How long Splunk may take to confirm a batch was indexed (indexer acknowledgement) before it is sent again. */
const ACK_TIMEOUT_MS = () => envNumber("AUDIT_SINK_ACK_TIMEOUT_MS", 60_000);
/** A sink is held this long by the instance sending to it: one send and its acknowledgement, with room to spare. */
const leaseMs = () => TIMEOUT_MS() + ACK_TIMEOUT_MS() + 30_000;
/** One run sends to a sink at most this long, so a sink catching up never keeps the others waiting for long. */
const RUN_MS = () => envNumber("AUDIT_SINK_RUN_MS", 30_000);

/** Wait after the n-th consecutive failure: 5 s, 10 s, 20 s… capped at 5 minutes. A sink is never given up on. */
export function sinkBackoffMs(failures: number): number {
  const base = process.env.AUDIT_SINK_BACKOFF_BASE_MS === "0" ? 0 : envNumber("AUDIT_SINK_BACKOFF_BASE_MS", 5_000);
  return Math.min(base * 2 ** Math.min(30, Math.max(0, failures - 1)), 300_000);
}

const errorText = (err: unknown) => {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === "AbortError" || e.name === "TimeoutError" || e.code === "ETIMEDOUT") return "timed out";
  const msg = e.message || e.code || "delivery failed";
  return (e.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg).slice(0, 300);
};

export type SinkDeliveryResult = { sinks: number; delivered: number; failed: number };

/** At most this many bytes of records in one batch (one record alone may be more). */
const MAX_BATCH_BYTES = () => envNumber("AUDIT_SINK_MAX_BYTES", 1_000_000);

/**
 * Streams the audit trail to every due sink: claims each with a lease (so two instances never send to one sink at
 * once), then sends the events after its acknowledged position in batches, in position order, moving the position
 * on only after the receiver acknowledged a batch. A failure records the error and backs off; the next attempt
 * sends from the acknowledged position again, so nothing is lost and nothing is reordered. A batch refused as too
 * big (413) or timed out is halved, and the size that got through is kept for a while before a bigger one is tried
 * again (doubling, up to AUDIT_SINK_BATCH), so a receiver with a size limit gets every record at the size it takes. A receiver may see a
 * record twice, and deduplicates by position.
 */
export async function deliverAuditSinks(
  opts: { ids?: string[]; maxBatches?: number } = {},
): Promise<SinkDeliveryResult> {
  const now = new Date();
  const ids = opts.ids ?? null;
  const lease = new Date(now.getTime() + leaseMs());
  // The lease's end is also its fencing token: every later write is conditional on it, so an instance whose lease
  // ran out (and was taken over) changes nothing.
  const claimed = await db().$queryRaw<{ id: string }[]>`
    UPDATE audit_sinks SET "leaseUntil" = ${lease}::timestamp(3)
    WHERE ("leaseUntil" IS NULL OR "leaseUntil" < ${now}::timestamp(3)) AND "nextAttemptAt" <= ${now}::timestamp(3)
      AND (${ids}::text[] IS NULL OR id = ANY(${ids}::text[]))
    RETURNING id`;
  const results = await Promise.all(claimed.map((s) => deliverSink(s.id, lease, opts.maxBatches ?? 200)));
  return {
    sinks: claimed.length,
    delivered: results.reduce((n, r) => n + r.delivered, 0),
    failed: results.filter((r) => r.failed).length,
  };
}

/** The leading records whose JSON fits in `max` bytes (at least one). */
function withinBytes<T>(records: T[], max: number): T[] {
  let bytes = 0;
  for (const [n, r] of records.entries()) {
    bytes += Buffer.byteLength(JSON.stringify(r));
    if (bytes > max && n > 0) return records.slice(0, n);
  }
  return records;
}

async function deliverSink(
  id: string,
  lease: Date,
  maxBatches: number,
): Promise<{ delivered: number; failed: boolean }> {
  const sink = await db().auditSink.findFirst({ where: { id, leaseUntil: lease } });
  if (!sink) return { delivered: 0, failed: false };
  let held = lease;
  let acked = sink.ackedPosition;
  let delivered = 0;
  let limit = sink.batchLimit ?? BATCH();
  const stopAt = Date.now() + RUN_MS();
  for (let i = 0; i < maxBatches && Date.now() < stopAt; i++) {
    // Before each send, the lease must outlast it (and its acknowledgement): renewed here, or given up.
    const renewed = new Date(Date.now() + leaseMs());
    const kept = await db().auditSink.updateMany({ where: { id, leaseUntil: held }, data: { leaseUntil: renewed } });
    if (kept.count === 0) return { delivered, failed: false };
    held = renewed;
    const size = Math.max(1, Math.min(limit, BATCH()));
    const rows = await db().auditEvent.findMany({
      where: { position: { gt: acked } },
      orderBy: { position: "asc" },
      take: size,
    });
    if (rows.length === 0) break;
    const records = rows.map(auditEventView);
    const batch = withinBytes(records, MAX_BATCH_BYTES());
    try {
      await sendBatch(sink, batch, { timeoutMs: TIMEOUT_MS(), ackTimeoutMs: ACK_TIMEOUT_MS() });
    } catch (err) {
      const failures = sink.failures + 1;
      const lastError = errorText(err);
      await db().auditSink.updateMany({
        where: { id, leaseUntil: held },
        data: {
          failures,
          lastError,
          lastErrorAt: new Date(),
          nextAttemptAt: new Date(Date.now() + sinkBackoffMs(failures)),
          batchLimit: tooBig(err, lastError) ? Math.max(1, Math.floor(batch.length / 2)) : sink.batchLimit,
          leaseUntil: null,
        },
      });
      log.warn({ sink: id, from: String(acked + 1n), error: lastError }, "audit sink delivery failed");
      return { delivered, failed: true };
    }
    const last = BigInt(batch[batch.length - 1].position);
    // Bigger again only once no batch was refused for a while: a receiver's limit is not probed at every batch.
    const settled = !sink.lastErrorAt || Date.now() - sink.lastErrorAt.getTime() > GROW_AFTER_MS;
    const grown = settled ? Math.min(BATCH(), size * 2) : size;
    const moved = await db().auditSink.updateMany({
      where: { id, leaseUntil: held, ackedPosition: acked },
      data: {
        ackedPosition: last,
        lastDeliveredAt: new Date(),
        failures: 0,
        batchLimit: grown >= BATCH() ? null : grown,
      },
    });
    if (moved.count === 0) return { delivered, failed: false }; // deleted, or taken over
    sink.failures = 0;
    limit = grown;
    delivered += batch.length;
    acked = last;
    if (rows.length < size && batch.length === rows.length) break;
  }
  await db().auditSink.updateMany({ where: { id, leaseUntil: held }, data: { leaseUntil: null } });
  return { delivered, failed: false };
}

/** Streams the trail to the sinks on an interval (AUDIT_SINK_POLL_MS, default 5 s), in the server process. */
export function startAuditSinkDispatcher(intervalMs = Number(process.env.AUDIT_SINK_POLL_MS) || 5_000) {
  runEvery("audit sink dispatcher", intervalMs, deliverAuditSinks);
}
