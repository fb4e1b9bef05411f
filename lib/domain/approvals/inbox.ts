import "server-only";
import { db } from "@/lib/db/client";
import { type Actor, isAdmin } from "../actor";
import { pendingApprovalCount } from "./queries";

/**
 * How many things wait for this person's decision: runtime approvals they may decide, and (for an admin) four-eyes
 * change requests someone else asked for. The bell and the navigation show it.
 */
export async function inboxCount(actor: Actor): Promise<number> {
  if (actor.type !== "user") return 0;
  const [runtime, changes] = await Promise.all([
    pendingApprovalCount(actor),
    isAdmin(actor)
      ? db().changeRequest.count({ where: { status: "pending", requestedById: { not: actor.id } } })
      : Promise.resolve(0),
  ]);
  return runtime + changes;
}
