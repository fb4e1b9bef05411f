import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { UserStatusSchema } from "./schemas";
import { revokeSessions } from "./sessions";

/**
 * "Sign out everywhere": an admin ends every console session of a person (themselves included) at the
 * sessions' next request. Personal access tokens are not touched (revoke them, or deactivate the person).
 */
export async function revokeUserSessions(actor: Actor, meta: RequestMeta, userId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { reason } = UserStatusSchema.parse(raw ?? {});
  return inTransaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw notFound("Person");
    const revoked = await revokeSessions(tx, userId);
    await writeAuditEvent(tx, actor, meta, {
      action: "user.sessions_revoked",
      targetType: "user",
      targetId: userId,
      after: { revoked },
      reason: reason || null,
    });
    return { revoked };
  });
}
