import "server-only";
import { cache } from "react";
import { type Db, db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { SqlTx, Tx } from "@/lib/db/tx";
import type { PeriodZone } from "../budgets/periods";
import { pendingRequests } from "../changes/open-change-request";

/** The organisation's time zone (UTC until an admin sets one): days in spend charts and exports are cut in it. */
export const orgTimeZone = async (client: Pick<SqlTx, "$queryRaw"> = db()) => (await orgZones(client)).timeZone;

/** SQL: how budget periods are cut (a PeriodZone, as JSON), from the organisation settings' row `s`. */
export const periodZoneSql = Prisma.sql`COALESCE(s."periodZone", to_jsonb(s."timeZone"))`;

/** The organisation's time zone and how budget periods are cut (its PeriodZone: the zone, across its changes). */
export async function orgZones(
  client: Pick<SqlTx, "$queryRaw"> = db(),
): Promise<{ timeZone: string; periodZone: PeriodZone }> {
  const [row] = await client.$queryRaw<{ timeZone: string; periodZone: PeriodZone }[]>`
    SELECT s."timeZone", ${periodZoneSql} AS "periodZone" FROM org_settings s WHERE s.id = 1`;
  return row ?? { timeZone: "UTC", periodZone: "UTC" };
}

/** How budget periods are cut: the organisation's time zone, across its changes. */
export const orgPeriodZone = async (client: Pick<SqlTx, "$queryRaw"> = db()) => (await orgZones(client)).periodZone;

/** The organisation's time zone, read once per request: every date in the console is shown in it. */
export const consoleTimeZone = cache(() => orgTimeZone());

/** The organisation settings with their defaults (time zone, retention, whether tokens issue credentials). */
export async function orgSettings(client: Tx | Db = db()) {
  const row = await client.orgSettings.findUnique({ where: { id: 1 } });
  return {
    timeZone: row?.timeZone ?? "UTC",
    usageRetentionMonths: row?.usageRetentionMonths ?? 13,
    auditRetentionMonths: row?.auditRetentionMonths ?? 13,
    tokensIssueCredentials: row?.tokensIssueCredentials ?? true,
  };
}

/** Whether a request to let tokens issue credentials again waits for a second admin. */
export const tokenPolicyAsked = async () => (await pendingRequests(db(), "token_policy")).length > 0;
