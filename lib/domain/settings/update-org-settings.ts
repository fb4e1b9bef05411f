import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid } from "../errors";
import { isTimeZone } from "../permissions/schemas";
import { lockRollupZone, rebuildDailyRollups } from "../usage/rollups";
import { orgTimeZone } from "./queries";

export const OrgSettingsInputSchema = z.object({
  timeZone: z.string().trim().refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC"),
});
export type OrgSettingsInput = z.input<typeof OrgSettingsInputSchema>;

/**
 * Sets the organisation time zone. Budget periods that start after the change follow the new zone; the daily spend
 * rollups are recomputed for it in the same transaction (usage ingestion waits for that, see usage/rollups.ts).
 */
export async function updateOrgSettings(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = OrgSettingsInputSchema.parse(raw);
  // The database cuts days in this zone too (rollups, budgets): it must know it, whatever Node's zone data says.
  await db().$queryRaw`SELECT now() AT TIME ZONE ${input.timeZone}`.catch(() => {
    throw invalid("Unknown time zone", { timeZone: ["a time zone the database does not know"] });
  });
  return inTransaction(async (tx) => {
    // A change takes the rollup-zone lock (ingestion waits while the daily rollups are rebuilt); saving the same
    // zone again does not.
    if ((await orgTimeZone(tx)) !== input.timeZone) await lockRollupZone(tx, "exclusive");
    const before = await tx.orgSettings.findUnique({ where: { id: 1 } });
    const after = await tx.orgSettings.upsert({
      where: { id: 1 },
      create: { id: 1, timeZone: input.timeZone },
      update: { timeZone: input.timeZone },
    });
    if ((before?.timeZone ?? "UTC") !== after.timeZone) await rebuildDailyRollups(tx, after.timeZone);
    await writeAuditEvent(tx, actor, meta, {
      action: "settings.updated",
      targetType: "org_settings",
      targetId: "1",
      before: before ?? { timeZone: "UTC" },
      after,
    });
    return after;
  });
}
