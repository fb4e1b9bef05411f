import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { changeZone, type PeriodZone, pendingChanges, settledBy } from "../budgets/periods";
import { conflict, invalid } from "../errors";
import { isTimeZone } from "../permissions/schemas";
import { MIN_RETENTION_MONTHS } from "../retention/months";
import { lockRollupZone, rebuildDailyRollups } from "../usage/rollups";

const months = z.coerce
  .number({ error: "a whole number of months" })
  .int("a whole number of months")
  .min(MIN_RETENTION_MONTHS, `at least ${MIN_RETENTION_MONTHS} months: logs are kept six months at the least`)
  .max(120, "at most 120 months");

/** Changes of zone kept while the periods they cut still run (each adds to every period lookup's work). */
const MAX_PENDING_ZONE_CHANGES = 12;

/** What an admin may change; a field left out keeps its value. */
export const OrgSettingsInputSchema = z.object({
  timeZone: z.string().trim().refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC").optional(),
  usageRetentionMonths: months
    .optional()
    .meta({ description: "Months raw usage events and decisions are kept (rollups and budget figures stay)" }),
  auditRetentionMonths: months
    .optional()
    .meta({ description: "Months the audit trail is kept (pruned only up to a signed checkpoint)" }),
});
export type OrgSettingsInput = z.input<typeof OrgSettingsInputSchema>;

/**
 * Sets the organisation time zone and retention. Budget periods that start after a zone change follow the new zone
 * (the running ones run to their end: PeriodZone in budgets/periods.ts); the daily spend rollups are recomputed for it
 * in the same transaction (usage ingestion waits for that, see usage/rollups.ts).
 */
export async function updateOrgSettings(actor: Actor, meta: RequestMeta, raw: unknown, at?: Date) {
  requireAdmin(actor);
  const input = OrgSettingsInputSchema.parse(raw);
  // The database cuts days in this zone too (rollups, budgets): it must know it, whatever Node's zone data says.
  if (input.timeZone)
    await db().$queryRaw`SELECT now() AT TIME ZONE ${input.timeZone}`.catch(() => {
      throw invalid("Unknown time zone", { timeZone: ["a time zone the database does not know"] });
    });
  return inTransaction(async (tx) => {
    await tx.orgSettings.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
    // Locked, so that two edits at once each record the value the other left.
    await tx.$queryRaw`SELECT id FROM org_settings WHERE id = 1 FOR UPDATE`;
    const before = await tx.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
    // A zone change takes the rollup-zone lock (ingestion waits while the daily rollups are rebuilt); saving the
    // same zone again does not.
    if (input.timeZone && before.timeZone !== input.timeZone) await lockRollupZone(tx, "exclusive");
    const after = await tx.orgSettings.update({ where: { id: 1 }, data: input });
    if (before.timeZone !== after.timeZone) {
      await rebuildDailyRollups(tx, after.timeZone);
      // The periods running now run to their end as cut before; later ones follow the new zone. The change is dated
      // here, after the rebuild: a call cutting periods meanwhile read the zone before it.
      const current = (before.periodZone as PeriodZone | null) ?? before.timeZone;
      const now = at ?? new Date();
      const periodZone = changeZone(current, after.timeZone, now);
      if (pendingChanges(periodZone) > MAX_PENDING_ZONE_CHANGES)
        throw conflict(
          "zone_changes_pending",
          `The time zone has changed ${MAX_PENDING_ZONE_CHANGES} times while budget periods cut before those changes still run: change it again once they end, after ${settledBy(current, now).toISOString()}.`,
        );
      await tx.orgSettings.update({ where: { id: 1 }, data: { periodZone } });
    }
    const view = (x: typeof before) => ({
      timeZone: x.timeZone,
      usageRetentionMonths: x.usageRetentionMonths,
      auditRetentionMonths: x.auditRetentionMonths,
    });
    // Nothing changed (an empty edit, or the values it already had): nothing to record.
    if (JSON.stringify(view(before)) === JSON.stringify(view(after))) return view(after);
    await writeAuditEvent(tx, actor, meta, {
      action: "settings.updated",
      targetType: "org_settings",
      targetId: "1",
      before: view(before),
      after: view(after),
    });
    return view(after);
  });
}
