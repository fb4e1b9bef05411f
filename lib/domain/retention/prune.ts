import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { log } from "@/lib/log";
import { systemActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { orgSettings } from "../settings/queries";

const PRUNE_LOCK = 7_340_021; // one pruner at a time across instances (a transaction-level advisory lock)

/** The instant `months` calendar months before `at` (UTC; the 31st falls back to the month's last day). */
export function monthsBefore(at: Date, months: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}

export type PruneResult = { cutoff: Date; usageEvents: number; decisions: number; batches: number };

/**
 * Deletes raw usage events and decisions older than the organisation's retention, in bounded batches, each its own
 * short transaction with its audit event (`retention.pruned`, with the counts): no long locks, and a crash loses
 * nothing but the rest of the run. The hourly and daily rollups and the budgets' period figures are separate rows,
 * so every chart and budget figure stays as it was. A decision still holding a budget reservation is kept until it
 * is settled or released. Events older than the ingestion window cannot be sent again, so pruning their ids does not
 * reopen deduplication. Another instance pruning at the same time makes this one stop.
 */
export async function pruneExpired(
  now = new Date(),
  opts: { batch?: number; maxBatches?: number } = {},
): Promise<PruneResult> {
  const batch = opts.batch ?? 20_000;
  const maxBatches = opts.maxBatches ?? 100;
  const { usageRetentionMonths: months } = await orgSettings();
  const cutoff = monthsBefore(now, months);
  const result: PruneResult = { cutoff, usageEvents: 0, decisions: 0, batches: 0 };
  while (result.batches < maxBatches) {
    const step = await inTransaction(async (tx) => {
      const [{ locked }] = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(${PRUNE_LOCK}::bigint) AS locked`;
      if (!locked) return null;
      const usageEvents = await tx.$executeRaw`
        DELETE FROM usage_events WHERE id IN (
          SELECT id FROM usage_events WHERE "timestamp" < ${cutoff}::timestamp(3) LIMIT ${batch})`;
      const decisions = await tx.$executeRaw`
        DELETE FROM decisions WHERE id IN (
          SELECT id FROM decisions WHERE "createdAt" < ${cutoff}::timestamp(3)
            AND ("settledAt" IS NOT NULL OR "reservationExpiresAt" IS NULL) LIMIT ${batch})`;
      if (usageEvents + decisions > 0)
        await writeAuditEvent(
          tx,
          systemActor("retention"),
          {},
          {
            action: "retention.pruned",
            targetType: "org_settings",
            targetId: "1",
            after: { usageEvents, decisions, olderThan: cutoff.toISOString(), retentionMonths: months },
          },
        );
      return { usageEvents, decisions };
    });
    if (!step) break;
    result.batches++;
    result.usageEvents += step.usageEvents;
    result.decisions += step.decisions;
    if (step.usageEvents < batch && step.decisions < batch) break;
  }
  return result;
}

const holder = globalThis as unknown as { __acpRetentionTimer?: NodeJS.Timeout };

/** Prunes what is past retention every RETENTION_PRUNE_MINUTES (default 60), in the server process. */
export function startRetentionPruner(intervalMs = Number(process.env.RETENTION_PRUNE_MINUTES ?? 60) * 60_000) {
  if (holder.__acpRetentionTimer) return;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const r = await pruneExpired();
      if (r.usageEvents || r.decisions) log.info({ ...r, cutoff: r.cutoff.toISOString() }, "retention pruned");
    } catch (err) {
      log.error({ err: String(err) }, "retention pruner");
    } finally {
      busy = false;
    }
  };
  holder.__acpRetentionTimer = setInterval(tick, intervalMs);
  holder.__acpRetentionTimer.unref();
}
