import "server-only";
import { cache } from "react";
import { type Db, db } from "@/lib/db/client";
import type { SqlTx, Tx } from "@/lib/db/tx";

/** The organisation's time zone for budget periods (UTC until an admin sets one). */
export async function orgTimeZone(client: Pick<SqlTx, "$queryRaw"> = db()): Promise<string> {
  const [row] = await client.$queryRaw<{ timeZone: string }[]>`SELECT "timeZone" FROM org_settings WHERE id = 1`;
  return row?.timeZone ?? "UTC";
}

/** The organisation's time zone, read once per request: every date in the console is shown in it. */
export const consoleTimeZone = cache(() => orgTimeZone());

/** The organisation settings with their defaults (time zone, retention). */
export async function orgSettings(client: Tx | Db = db()) {
  const row = await client.orgSettings.findUnique({ where: { id: 1 } });
  return {
    timeZone: row?.timeZone ?? "UTC",
    usageRetentionMonths: row?.usageRetentionMonths ?? 13,
    auditRetentionMonths: row?.auditRetentionMonths ?? 13,
  };
}
