import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { UserStatusSchema } from "./schemas";

/**
 * Unlinks a person from their identity provider account, so their next single sign-on binds them again: for an
 * account the provider re-created (a new `sub`), a new OIDC_ISSUER or client, or a binding made by the wrong account.
 * Admins only; audited with the account it was bound to.
 */
export async function unlinkSsoAccount(actor: Actor, meta: RequestMeta, userId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { reason } = UserStatusSchema.parse(raw ?? {});
  return inTransaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, ssoSubject: true } });
    if (!user) throw notFound("Person");
    if (!user.ssoSubject) throw conflict("sso_not_linked", "This person is not linked to an identity provider account");
    await tx.user.update({ where: { id: userId }, data: { ssoSubject: null } });
    await writeAuditEvent(tx, actor, meta, {
      action: "user.updated",
      targetType: "user",
      targetId: userId,
      before: { ssoSubject: user.ssoSubject },
      after: { ssoSubject: null },
      reason: reason || "unlinked from the identity provider's account",
    });
    return { unlinked: userId };
  });
}
