import "server-only";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { changeZone, type PeriodZone, pendingChanges, settledBy } from "../budgets/periods";
import {
  isPerson,
  openChangeRequest,
  type PendingChange,
  pendingRequests,
  type RetentionChange,
} from "../changes/open-change-request";
import { conflict, DomainError, invalid } from "../errors";
import { isTimeZone } from "../permissions/schemas";
import { MIN_RETENTION_MONTHS } from "../retention/months";
import { lockRollupZone, rebuildDailyRollups } from "../usage/rollups";
import { requireFreshProof } from "../users/fresh-proof";
import { currentPasswordField } from "../users/schemas";
import { orgSettings } from "./queries";

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
  tokensIssueCredentials: z.boolean().optional().meta({
    description:
      "Whether personal access tokens may issue credentials that outlive them: agent keys, people's passwords, SIEM sinks and webhook endpoints. Turning it off applies at once; turning it back on is asked from a signed-in session, with fresh proof (`currentPassword` when the sign-in is older than 15 minutes), and waits for a second admin (`pendingChange`).",
  }),
  currentPassword: currentPasswordField,
});
export type OrgSettingsInput = z.input<typeof OrgSettingsInputSchema>;

const RETENTION = ["usageRetentionMonths", "auditRetentionMonths"] as const;
type Settings = {
  timeZone: string;
  usageRetentionMonths: number;
  auditRetentionMonths: number;
  tokensIssueCredentials: boolean;
};
const view = (x: Settings): Settings => ({
  timeZone: x.timeZone,
  usageRetentionMonths: x.usageRetentionMonths,
  auditRetentionMonths: x.auditRetentionMonths,
  tokensIssueCredentials: x.tokensIssueCredentials,
});

/** The settings' row, created if missing and locked, so that two edits at once each record the value the other left. */
async function lockSettings(tx: Tx) {
  await tx.orgSettings.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
  await tx.$queryRaw`SELECT id FROM org_settings WHERE id = 1 FOR UPDATE`;
  return tx.orgSettings.findUniqueOrThrow({ where: { id: 1 } });
}

/**
 * Sets the organisation time zone and retention. Budget periods that start after a zone change follow the new zone
 * (the running ones run to their end: PeriodZone in budgets/periods.ts); the daily spend rollups are recomputed for it
 * in the same transaction (usage ingestion waits for that, see usage/rollups.ts). Keeping records longer applies at
 * once; keeping them for less time waits for a second admin (`pendingChange`): one admin alone could otherwise have the
 * audit trail pruned back to six months.
 */
export async function updateOrgSettings(
  actor: Actor,
  meta: RequestMeta,
  raw: unknown,
  at?: Date,
): Promise<Settings & { pendingChange?: PendingChange }> {
  requireAdmin(actor);
  const { currentPassword, ...input } = OrgSettingsInputSchema.parse(raw);
  // Letting tokens issue credentials again: not by a token (a leaked one would let itself), nor by a stolen cookie.
  const enabling = input.tokensIssueCredentials === true && !(await orgSettings()).tokensIssueCredentials;
  if (enabling) {
    if (actor.type === "user" && actor.viaToken)
      throw new DomainError(
        "forbidden",
        "session_required",
        "Tokens are let issue credentials again from a signed-in session, not with a token",
      );
    await requireFreshProof(actor, meta, currentPassword, "let tokens issue credentials");
  }
  // The database cuts days in this zone too (rollups, budgets): it must know it, whatever Node's zone data says.
  if (input.timeZone)
    await db().$queryRaw`SELECT now() AT TIME ZONE ${input.timeZone}`.catch(() => {
      throw invalid("Unknown time zone", { timeZone: ["a time zone the database does not know"] });
    });
  return inTransaction(async (tx) => {
    const before = await lockSettings(tx);
    let pendingChange: PendingChange | undefined;
    // Turned off since it was read above, so this request asked for no proof.
    if (input.tokensIssueCredentials && !before.tokensIssueCredentials && !enabling)
      throw conflict("settings_changed", "Tokens were stopped from issuing credentials meanwhile: save again");
    // Letting tokens issue credentials again lowers a control: it waits for a second admin (asked again, the request
    // already waiting answers).
    if (enabling && isPerson(actor)) {
      const [waiting] = await pendingRequests(tx, "token_policy");
      pendingChange = waiting
        ? { status: "pending_approval", requestId: waiting.id }
        : await openChangeRequest(tx, actor, meta, {
            change: "token_policy",
            payload: { tokensIssueCredentials: true },
            reason: "",
          });
      input.tokensIssueCredentials = undefined;
    }
    const shorter = RETENTION.filter((f) => input[f] !== undefined && input[f] < before[f]);
    if (shorter.length && isPerson(actor)) {
      const payload: RetentionChange = {
        ...Object.fromEntries(shorter.map((f) => [f, input[f]])),
        fromUsageRetentionMonths: before.usageRetentionMonths,
        fromAuditRetentionMonths: before.auditRetentionMonths,
      };
      // The same cut asked again (a second click, a retried request) answers the request already waiting.
      const waiting = (await pendingRequests<RetentionChange>(tx, "retention")).find((r) =>
        isDeepStrictEqual(cutOf(r.payload), cutOf(payload)),
      );
      pendingChange = waiting
        ? { status: "pending_approval", requestId: waiting.id }
        : await openChangeRequest(tx, actor, meta, { change: "retention", payload, reason: "" });
      for (const f of shorter) input[f] = undefined;
    }
    const withPending = (x: Settings) => (pendingChange ? { ...view(x), pendingChange } : view(x));
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
    // Nothing changed (an empty edit, or the values it already had): nothing to record.
    if (JSON.stringify(view(before)) === JSON.stringify(view(after))) return withPending(after);
    await writeAuditEvent(tx, actor, meta, {
      action: "settings.updated",
      targetType: "org_settings",
      targetId: "1",
      before: view(before),
      after: view(after),
    });
    return withPending(after);
  });
}

/** What a retention request cuts: each field's months, and the months it cuts them from (what approval checks). */
const cutOf = (c: RetentionChange) =>
  RETENTION.map((f) =>
    c[f] === undefined
      ? null
      : [c[f], f === "usageRetentionMonths" ? c.fromUsageRetentionMonths : c.fromAuditRetentionMonths],
  );

/** Shortens retention once a second admin approved it (the approving transaction). */
export async function applyRetention(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  change: RetentionChange,
  approval: { requestId: string; requestedById: string },
) {
  const before = await lockSettings(tx);
  const from = {
    usageRetentionMonths: change.fromUsageRetentionMonths,
    auditRetentionMonths: change.fromAuditRetentionMonths,
  };
  // What was approved is a cut from these months: a change since then was never reviewed.
  if (RETENTION.some((f) => change[f] !== undefined && before[f] !== from[f]))
    throw conflict("request_stale", "Retention changed since this was requested: reject it and request again");
  const after = await tx.orgSettings.update({
    where: { id: 1 },
    data: { usageRetentionMonths: change.usageRetentionMonths, auditRetentionMonths: change.auditRetentionMonths },
  });
  await auditApproved(tx, actor, meta, before, after, approval);
}

/** The settings.updated event of a change a second admin approved, naming the request and who asked. */
const auditApproved = (
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  before: Settings,
  after: Settings,
  approval: { requestId: string; requestedById: string },
) =>
  writeAuditEvent(tx, actor, meta, {
    action: "settings.updated",
    targetType: "org_settings",
    targetId: "1",
    before: view(before),
    after: { ...view(after), requestId: approval.requestId, requestedById: approval.requestedById },
  });

/** Lets personal access tokens issue credentials again once a second admin approved it (the approving transaction). */
export async function applyTokenPolicy(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  approval: { requestId: string; requestedById: string },
) {
  const before = await lockSettings(tx);
  const after = await tx.orgSettings.update({ where: { id: 1 }, data: { tokensIssueCredentials: true } });
  await auditApproved(tx, actor, meta, before, after, approval);
}
