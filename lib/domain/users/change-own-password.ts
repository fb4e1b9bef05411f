import "server-only";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta, UserActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { proveOwnPassword } from "./prove-own-password";
import { type OwnPassword, OwnPasswordSchema } from "./schemas";
import { endSignIns } from "./sessions";

/**
 * A signed-in person replaces their own password, proving they know the current one. Their other console
 * sessions end and their personal access tokens are revoked (a stolen cookie, or a token it minted, does not outlive
 * the change); this session stays. Clears a one-time password.
 */
export async function changeOwnPassword(actor: UserActor, meta: RequestMeta, raw: OwnPassword) {
  const input = OwnPasswordSchema.parse(raw);
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { email: true, passwordHash: true } });
  if (!user) throw notFound("Person");
  if (!user.passwordHash)
    throw conflict("sso_only", "You sign in through SSO: change your password at your identity provider");
  await proveOwnPassword(
    actor,
    meta,
    { email: user.email, passwordHash: user.passwordHash },
    input.currentPassword,
    "to change the password",
  );
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(async (tx) => {
    // Compare-and-set: a concurrent change (by an admin, or another tab) wins and this one is refused.
    const changed = await tx.user.updateMany({
      where: { id: actor.id, passwordHash: user.passwordHash },
      data: { passwordHash, mustChangePassword: false },
    });
    if (changed.count !== 1) throw conflict("password_changed", "Your password was changed meanwhile: sign in again");
    const ended = await endSignIns(tx, actor.id, { except: actor.sessionId ?? null });
    await writeAuditEvent(tx, actor, meta, {
      action: "user.password_changed",
      targetType: "user",
      targetId: actor.id,
      after: { passwordChanged: true, ...ended },
    });
  });
}
