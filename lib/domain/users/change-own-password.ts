import "server-only";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta, UserActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, DomainError, invalid, notFound } from "../errors";
import { describeRefusal, finishSignInAttempt, startSignInAttempt } from "../limits/sign-in-throttle";
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
  // Throttled and recorded as a sign-in is (the same buckets; a wrong guess, and the first refusal of a window, as a
  // failed sign-in): else a stolen session could guess the password here, unseen, and a right guess take the account.
  const failed = (reason: string) =>
    inTransaction((tx) =>
      writeAuditEvent(tx, actor, meta, {
        action: "user.sign_in_failed",
        targetType: "user",
        targetId: actor.id,
        outcome: "failure",
        reason: `changing the password: ${reason}`,
      }),
    );
  const ip = meta.ip ?? null;
  const refusal = await startSignInAttempt(user.email, ip);
  if (refusal) {
    const { windowMs } = refusal.limit;
    if (refusal.first) await failed(describeRefusal(refusal));
    throw new DomainError(
      "rate_limited",
      "rate_limited",
      `Too many wrong passwords: try again in ${windowMs / 60_000} minutes`,
      {
        retryAfterSeconds: windowMs / 1000,
      },
    );
  }
  const right = await verifyPassword(user.passwordHash, input.currentPassword);
  await finishSignInAttempt(user.email, ip, right);
  if (!right) {
    await failed("the current password given is wrong");
    throw invalid("Your current password is not right", { currentPassword: ["is not your current password"] });
  }
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
