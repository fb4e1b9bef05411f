import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { withdrawRequestsOf } from "../changes/reject";
import { conflict, notFound } from "../errors";
import { requireAnotherAdmin } from "./people-rules";
import { publicUser, UserStatusSchema } from "./schemas";
import { endSignIns } from "./sessions";

/**
 * Deactivates or reactivates a person. A deactivated person cannot sign in, their console sessions and personal
 * access tokens are ended for good (reactivation revives neither: a person deactivated because their account was
 * taken over comes back without what the intruder held; they sign in afresh and make new tokens), and the change
 * requests they have waiting are rejected; their history stays. Nobody deactivates themselves, and the last active
 * admin stays.
 */
export async function setUserStatus(
  actor: Actor,
  meta: RequestMeta,
  userId: string,
  status: "active" | "disabled",
  raw: unknown = {},
) {
  requireAdmin(actor);
  const { reason } = UserStatusSchema.parse(raw ?? {});
  return inTransaction(async (tx) => {
    const before = await tx.user.findUnique({
      where: { id: userId },
      include: { memberships: { select: { teamId: true } } },
    });
    if (!before) throw notFound("Person");
    const isActive = !before.disabledAt;
    if ((status === "active") === isActive) return publicUser(before);
    let requestsWithdrawn = 0;
    if (status === "disabled") {
      if (actor.type === "user" && actor.id === userId)
        throw conflict("cannot_deactivate_self", "You cannot deactivate yourself: ask another admin");
      if (before.role === "admin") await requireAnotherAdmin(tx, userId);
      // After the admins' rows are locked, in the order an approval takes its locks (people, then agents, requests).
      requestsWithdrawn = await withdrawRequestsOf(tx, actor, meta, userId, `${before.email} was deactivated`);
    }
    const user = await tx.user.update({
      where: { id: userId },
      data: { disabledAt: status === "disabled" ? new Date() : null },
      include: { memberships: { select: { teamId: true } } },
    });
    const ended = status === "disabled" ? await endSignIns(tx, userId) : null;
    await writeAuditEvent(tx, actor, meta, {
      action: status === "disabled" ? "user.deactivated" : "user.reactivated",
      targetType: "user",
      targetId: userId,
      before: { status: isActive ? "active" : "disabled" },
      after: ended ? { status, ...ended, requestsWithdrawn } : { status },
      reason: reason || null,
    });
    return publicUser(user);
  });
}
