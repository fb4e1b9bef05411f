import "server-only";
import { z } from "zod";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isTimeZone } from "../permissions/schemas";
import { lockRollupZone, rebuildDailyRollups } from "../usage/rollups";

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
  return inTransaction(async (tx) => {
    await lockRollupZone(tx, "exclusive");
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
