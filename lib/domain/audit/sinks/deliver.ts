import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { auditEventView } from "../view";
import { sendBatch } from "./transports";

const BATCH = () => Number(process.env.AUDIT_SINK_BATCH ?? 500);
const TIMEOUT_MS = () => Number(process.env.AUDIT_SINK_TIMEOUT_MS ?? 10_000);
/** A sink is held this long by the instance sending to it (renewed after every acknowledged batch). */
const leaseMs = () => 2 * TIMEOUT_MS() + 30_000;

/** Wait after the n-th consecutive failure: 5 s, 10 s, 20 s… capped at 5 minutes. A sink is never given up on. */
export function sinkBackoffMs(failures: number): number {
  const base = Number(process.env.AUDIT_SINK_BACKOFF_BASE_MS ?? 5_000);
  return Math.min(base * 2 ** Math.max(0, failures - 1), 300_000);
}

const errorText = (err: unknown) => {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === "AbortError" || e.name === "TimeoutError" || e.code === "ETIMEDOUT") return "timed out";
  const msg = e.message || e.code || "delivery failed";
  return (e.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg).slice(0, 300);
};

export type SinkDeliveryResult = { sinks: number; delivered: number; failed: number };

/**
 * Streams the audit trail to every due sink: claims each with a lease (so two instances never send to one sink at
 * once), then sends the events after its acknowledged position in batches, in position order, moving the position
 * on only after the receiver acknowledged a batch. A failure records the error and backs off; the next attempt
 * sends the same batch again from the acknowledged position, so nothing is lost and nothing is reordered (a
 * receiver may see a batch twice, and deduplicates by position).
 */
export async function deliverAuditSinks(
  opts: { ids?: string[]; maxBatches?: number } = {},
): Promise<SinkDeliveryResult> {
  const now = new Date();
  const ids = opts.ids ?? null;
  const claimed = await db().$queryRaw<{ id: string }[]>`
    UPDATE audit_sinks SET "leaseUntil" = ${new Date(now.getTime() + leaseMs())}::timestamp(3)
    WHERE ("leaseUntil" IS NULL OR "leaseUntil" < ${now}::timestamp(3)) AND "nextAttemptAt" <= ${now}::timestamp(3)
      AND (${ids}::text[] IS NULL OR id = ANY(${ids}::text[]))
    RETURNING id`;
  const results = await Promise.all(claimed.map((s) => deliverSink(s.id, opts.maxBatches ?? 200)));
  return {
    sinks: claimed.length,
    delivered: results.reduce((n, r) => n + r.delivered, 0),
    failed: results.filter((r) => r.failed).length,
  };
}

async function deliverSink(id: string, maxBatches: number): Promise<{ delivered: number; failed: boolean }> {
  const sink = await db().auditSink.findUnique({ where: { id } });
  if (!sink) return { delivered: 0, failed: false };
  let acked = sink.ackedPosition;
  let delivered = 0;
  for (let i = 0; i < maxBatches; i++) {
    const rows = await db().auditEvent.findMany({
      where: { position: { gt: acked } },
      orderBy: { position: "asc" },
      take: BATCH(),
    });
    if (rows.length === 0) break;
    try {
      await sendBatch(sink, rows.map(auditEventView), TIMEOUT_MS());
    } catch (err) {
      const failures = sink.failures + 1;
      const lastError = errorText(err);
      await db().auditSink.updateMany({
        where: { id },
        data: {
          failures,
          lastError,
          lastErrorAt: new Date(),
          nextAttemptAt: new Date(Date.now() + sinkBackoffMs(failures)),
          leaseUntil: null,
        },
      });
      log.warn({ sink: id, from: String(acked + 1n), error: lastError }, "audit sink delivery failed");
      return { delivered, failed: true };
    }
    const last = rows[rows.length - 1].position;
    // Moved on only from where this run started its batch: a sink deleted meanwhile stops here.
    const moved = await db().auditSink.updateMany({
      where: { id, ackedPosition: acked },
      data: {
        ackedPosition: last,
        lastDeliveredAt: new Date(),
        failures: 0,
        leaseUntil: new Date(Date.now() + leaseMs()),
      },
    });
    sink.failures = 0;
    delivered += rows.length;
    if (moved.count === 0) return { delivered, failed: false };
    acked = last;
    if (rows.length < BATCH()) break;
  }
  await db().auditSink.updateMany({ where: { id }, data: { leaseUntil: null } });
  return { delivered, failed: false };
}

const holder = globalThis as unknown as { __acpAuditSinkTimer?: NodeJS.Timeout };

/** Streams the trail to the sinks on an interval (AUDIT_SINK_POLL_MS, default 5 s), in the server process. */
export function startAuditSinkDispatcher(intervalMs = Number(process.env.AUDIT_SINK_POLL_MS) || 5_000) {
  if (holder.__acpAuditSinkTimer) return;
  let busy = false;
  holder.__acpAuditSinkTimer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await deliverAuditSinks();
    } catch (err) {
      log.error({ err: String(err) }, "audit sink dispatcher");
    } finally {
      busy = false;
    }
  }, intervalMs);
  holder.__acpAuditSinkTimer.unref();
}
