import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { log } from "@/lib/log";
import { runEvery } from "@/lib/periodic";
import { systemActor } from "../actor";
import { auditBase, pruneProblem } from "../audit/base";
import { findChainBreak } from "../audit/hash";
import { writeAuditEvent } from "../audit/write-audit-event";
import { releaseExpiredReservations } from "../budgets/ledger";
import { RETENTION_LOCK } from "../locks";
import { orgSettings } from "../settings/queries";
import { lateArrivalDays } from "../usage/timestamp-window";
import { monthsBefore } from "./months";

export type PruneResult = {
  cutoff: Date;
  usageEvents: number;
  decisions: number;
  batches: number;
  auditCutoff: Date;
  auditEvents: number;
  /** Where the audit trail now starts: positions up to here are gone, at a signed checkpoint ("0": none). */
  auditPrunedThrough: string;
};

const tryLock = async (tx: Tx) =>
  (await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}::bigint) AS locked`)[0]
    .locked;

/**
 * Deletes raw usage events and decisions older than the organisation's retention, in bounded batches, each its own
 * short transaction with its audit event (`retention.pruned`, with the counts): no long locks, and a crash loses
 * nothing but the rest of the run. The hourly and daily rollups and the budgets' period figures are separate rows,
 * so every chart and budget figure stays as it was. A decision still holding a budget reservation is kept until it
 * is settled or released. Nothing inside the ingestion's late-arrival window is pruned, so a resent event is still
 * recognised as a duplicate. Another instance pruning at the same time makes this one stop.
 */
export async function pruneExpired(
  now = new Date(),
  opts: { batch?: number; maxBatches?: number } = {},
): Promise<PruneResult> {
  const batch = opts.batch ?? 20_000;
  const maxBatches = opts.maxBatches ?? 100;
  const { usageRetentionMonths: months, auditRetentionMonths } = await orgSettings();
  // Never inside the late-arrival window (plus a day): an event id still accepted is kept, so a resent event is
  // still recognised as a duplicate.
  const window = new Date(now.getTime() - (lateArrivalDays() + 1) * 86_400_000);
  const byMonths = monthsBefore(now, months);
  const cutoff = byMonths < window ? byMonths : window;
  const auditCutoff = monthsBefore(now, auditRetentionMonths);
  const result: PruneResult = {
    cutoff,
    usageEvents: 0,
    decisions: 0,
    batches: 0,
    auditCutoff,
    auditEvents: 0,
    auditPrunedThrough: String((await auditBase()).position),
  };
  while (result.batches < maxBatches) {
    // Reservations that lapsed with no usage settling them (the usual end of one) are given back first, oldest first,
    // in a transaction of their own (it locks budget rows every estimated call updates): authorize does so only when
    // a budget refuses, and a decision holding one is not pruned.
    const released = await inTransaction((tx) => releaseExpiredReservations(tx, now, batch));
    const step = await inTransaction(async (tx) => {
      if (!(await tryLock(tx))) return null;
      const usageEvents = await tx.$executeRaw`
        DELETE FROM usage_events WHERE id IN (
          SELECT id FROM usage_events WHERE "timestamp" < ${cutoff}::timestamp(3) LIMIT ${batch})`;
      // Outcomes go with the usage they are measured against (their task ids may name customers' tickets).
      const outcomes = await tx.$executeRaw`
        DELETE FROM outcomes WHERE id IN (
          SELECT id FROM outcomes WHERE "timestamp" < ${cutoff}::timestamp(3) LIMIT ${batch})`;
      const decisions = await tx.$executeRaw`
        DELETE FROM decisions WHERE id IN (
          SELECT id FROM decisions WHERE "createdAt" < ${cutoff}::timestamp(3)
            AND ("settledAt" IS NOT NULL OR "reservationExpiresAt" IS NULL) LIMIT ${batch})`;
      if (usageEvents + decisions + outcomes > 0)
        await writeAuditEvent(
          tx,
          systemActor("retention"),
          {},
          {
            action: "retention.pruned",
            targetType: "org_settings",
            targetId: "1",
            after: {
              usageEvents,
              decisions,
              ...(outcomes ? { outcomes } : {}),
              olderThan: cutoff.toISOString(),
              retentionMonths: months,
            },
          },
        );
      return { usageEvents, decisions, outcomes };
    });
    if (!step) break;
    result.batches++;
    result.usageEvents += step.usageEvents;
    result.decisions += step.decisions;
    if (step.usageEvents < batch && step.decisions < batch && step.outcomes < batch && released < batch) break;
  }
  // The audit trail, from its start up to a signed checkpoint at a time: the whole run of events up to a checkpoint
  // signed before the cutoff goes in one transaction (the furthest such checkpoint within a batch of the start, else
  // the nearest), with the new start (the checkpoint's position and hash) and its audit event. So the trail always
  // starts at a signed checkpoint, and the verifier checks what remains from there. Nothing a SIEM sink has not yet
  // acknowledged is pruned: a sink that is down holds retention back (Settings shows its lag) until it catches up. Nothing is pruned across a break
  // in the chain or a checkpoint that no longer matches its event: that is evidence, and it is reported instead.
  let auditBatches = 0;
  while (auditBatches < maxBatches) {
    const step = await inTransaction(async (tx) => {
      if (!(await tryLock(tx))) return null;
      const base = await auditBase(tx);
      const eligible = (extra: Prisma.Sql, order: Prisma.Sql) => tx.$queryRaw<{ position: bigint; hash: string }[]>`
        SELECT c.position, c.hash FROM audit_checkpoints c
        JOIN audit_events e ON e.position = c.position AND e.hash = c.hash
        WHERE c.position > ${base.position} AND e."occurredAt" < ${auditCutoff}::timestamp(3)
          AND c."signedAt" < ${auditCutoff}::timestamp(3)
          AND c.position <= COALESCE((SELECT MIN("ackedPosition") FROM audit_sinks), c.position) ${extra}
        ORDER BY c.position ${order} LIMIT 1`;
      const [furthest] = await eligible(
        Prisma.sql`AND c.position <= ${base.position + BigInt(batch)}`,
        Prisma.sql`DESC`,
      );
      const target = furthest ?? (await eligible(Prisma.empty, Prisma.sql`ASC`))[0];
      if (!target) return null;
      const problem =
        (await pruneProblem(tx, target.position, target.hash, now)) ?? (await chainProblem(tx, base, target.position));
      if (problem) {
        log.error({ problem, from: String(base.position), to: String(target.position) }, "audit pruning refused");
        return null;
      }
      const deleted = await tx.$executeRaw`
        DELETE FROM audit_events WHERE position > ${base.position} AND position <= ${target.position}`;
      await tx.auditBase.upsert({
        where: { id: 1 },
        create: { id: 1, position: target.position, hash: target.hash, prunedAt: now },
        update: { position: target.position, hash: target.hash, prunedAt: now },
      });
      await writeAuditEvent(
        tx,
        systemActor("retention"),
        {},
        {
          action: "retention.pruned",
          targetType: "org_settings",
          targetId: "1",
          after: {
            auditEvents: deleted,
            auditPrunedThrough: String(target.position),
            olderThan: auditCutoff.toISOString(),
            retentionMonths: auditRetentionMonths,
          },
        },
      );
      return { deleted, through: String(target.position) };
    });
    if (!step) break;
    auditBatches++;
    result.batches++;
    result.auditEvents += step.deleted;
    result.auditPrunedThrough = step.through;
  }
  return result;
}

/**
 * Why the events after `base` up to `to` must not be pruned, or null: each links to the one before and hashes to
 * its hash, with no gap, and every checkpoint among them still matches its event (read in pages).
 */
async function chainProblem(tx: Tx, base: { position: bigint; hash: string }, to: bigint): Promise<string | null> {
  const [{ mismatched }] = await tx.$queryRaw<{ mismatched: bigint }[]>`
    SELECT COUNT(*)::bigint AS mismatched FROM audit_checkpoints c LEFT JOIN audit_events e ON e.position = c.position
    WHERE c.position > ${base.position} AND c.position <= ${to} AND (e.hash IS NULL OR e.hash <> c.hash)`;
  if (mismatched > 0n) return `${mismatched} checkpoint(s) up to position ${to} no longer match their events`;
  let start = base;
  while (start.position < to) {
    const rows = await tx.auditEvent.findMany({
      where: { position: { gt: start.position, lte: to } },
      orderBy: { position: "asc" },
      take: 2000,
    });
    const r = findChainBreak(rows, start);
    if (r.break) return `the chain breaks at position ${r.break.position} (${r.break.reason})`;
    if (!rows.length) return `position ${start.position + 1n} is missing`;
    start = { position: r.lastPosition, hash: r.lastHash };
  }
  return null;
}

/** Prunes what is past retention every RETENTION_PRUNE_MINUTES (default 60), in the server process. */
export function startRetentionPruner(minutes = Number(process.env.RETENTION_PRUNE_MINUTES ?? 60)) {
  // A value that is not a number of minutes (or under one) falls back to the hour rather than a busy loop.
  const intervalMs = (Number.isFinite(minutes) && minutes >= 1 ? minutes : 60) * 60_000;
  runEvery("retention pruner", intervalMs, async () => {
    const r = await pruneExpired();
    if (r.usageEvents || r.decisions || r.auditEvents) log.info(r, "retention pruned");
  });
}
