import "server-only";
import { db } from "@/lib/db/client";
import type { UserActor } from "../actor";

/** Personal read state, not governed state: not audited. */
export async function markAlertsRead(actor: UserActor) {
  await db().user.update({ where: { id: actor.id }, data: { alertsReadAt: new Date() } });
}
