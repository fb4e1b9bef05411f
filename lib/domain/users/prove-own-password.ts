import "server-only";
import { verifyPassword } from "@/lib/auth/password";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta, UserActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { DomainError, invalid } from "../errors";
import { describeRefusal, finishSignInAttempt, startSignInAttempt } from "../limits/sign-in-throttle";

/**
 * A signed-in person proves they know their password before `doing` something a stolen session must not ("to change
 * the password", "to create a token": it heads the reason a wrong guess is recorded with). Throttled and recorded as
 * a sign-in is (the same buckets; a wrong guess, and the first refusal of a window, as a failed sign-in): else a
 * stolen session could guess the password here, unseen.
 */
export async function proveOwnPassword(
  actor: UserActor,
  meta: RequestMeta,
  user: { email: string; passwordHash: string },
  given: string,
  doing: string,
): Promise<void> {
  const failed = (reason: string) =>
    inTransaction((tx) =>
      writeAuditEvent(tx, actor, meta, {
        action: "user.sign_in_failed",
        targetType: "user",
        targetId: actor.id,
        outcome: "failure",
        reason: `${doing}: ${reason}`,
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
  const right = await verifyPassword(user.passwordHash, given);
  await finishSignInAttempt(user.email, ip, right);
  if (!right) {
    await failed("the current password given is wrong");
    throw invalid("Your current password is not right", { currentPassword: ["is not your current password"] });
  }
}
