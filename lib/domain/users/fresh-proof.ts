import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction, type SqlTx } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { DomainError, invalid } from "../errors";
import { countHit } from "../limits/rate-limit";
import { orgSettings } from "../settings/queries";
import { proveOwnPassword } from "./prove-own-password";
import { RECENT_SIGN_IN_MINUTES } from "./recent-sign-in";

/**
 * What the acting person must show now to leave behind something that outlives their session (a token, an agent
 * key, someone's password, a SIEM sink, a webhook endpoint): nothing (signed in within RECENT_SIGN_IN_MINUTES; or not
 * acting through a console session: a token, or a caller inside the server), their password, or a new sign-in (SSO
 * only).
 */
export async function freshProofNeeded(actor: Actor): Promise<"none" | "password" | "sign_in"> {
  return (await proofState(actor)).needed;
}

async function proofState(actor: Actor) {
  if (actor.type !== "user" || !actor.sessionId) return { needed: "none" as const };
  const session = await db().userSession.findUnique({
    where: { id: actor.sessionId },
    select: { createdAt: true, user: { select: { email: true, passwordHash: true } } },
  });
  if (session && Date.now() - session.createdAt.getTime() <= RECENT_SIGN_IN_MINUTES * 60_000)
    return { needed: "none" as const };
  const user = session?.user;
  return user?.passwordHash
    ? { needed: "password" as const, user: { email: user.email, passwordHash: user.passwordHash } }
    : { needed: "sign_in" as const };
}

/**
 * A stolen session cookie must not make itself a credential that outlives the session. So `doing` (e.g. "issue a
 * key") asks for fresh proof: a sign-in within RECENT_SIGN_IN_MINUTES, or the person's password (throttled and
 * recorded as a sign-in is), for this one request: a password given does not make the session fresh, which would
 * hand the same window to whoever else holds the cookie. A token needs none, unless the organisation stopped tokens
 * issuing credentials (settings: tokensIssueCredentials): then it is refused, since a leaked one would leave behind
 * credentials that outlive its revocation.
 */
export async function requireFreshProof(
  actor: Actor,
  meta: RequestMeta,
  currentPassword: string | undefined,
  doing: string,
): Promise<void> {
  if (actor.type === "user" && actor.viaToken && !(await orgSettings()).tokensIssueCredentials) {
    // Recorded: a token trying to leave a credential behind, with the policy off, may well be a leaked one. Once per
    // token a minute, as rate limits are, so a token retrying in a loop does not flood the audit trail.
    const { count } = await countHit(`token-refused:${actor.tokenId ?? actor.id}`, REFUSALS_AUDITED, Date.now(), {
      durable: false,
    });
    if (count === 1)
      await inTransaction((tx) =>
        writeAuditEvent(tx, actor, meta, {
          action: "token.refused",
          targetType: "personal_access_token",
          targetId: actor.tokenId ?? null,
          outcome: "denied",
          reason: `tried to ${doing} with a token, which the organisation's settings do not allow (audited once a minute)`,
        }),
      );
    throw tokenRefusal(doing);
  }
  const state = await proofState(actor);
  if (state.needed === "none" || actor.type !== "user") return;
  if (state.needed === "sign_in")
    throw new DomainError(
      "forbidden",
      "recent_sign_in_required",
      `Sign in again to ${doing}: you signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago, through SSO`,
    );
  if (!currentPassword)
    throw invalid(`You signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago: enter your password to ${doing}`, {
      currentPassword: ["enter your password"],
    });
  await proveOwnPassword(actor, meta, state.user, currentPassword, `to ${doing}`);
}

/** The window in which a token's first refusal is audited (the count is kept, the later ones are not recorded). */
const REFUSALS_AUDITED = { limit: 1, windowMs: 60_000 };

const tokenRefusal = (doing: string) =>
  new DomainError(
    "forbidden",
    "session_required",
    `Tokens may not ${doing} here: an admin turned that off in Settings. Sign in to the console to ${doing}`,
  );

/**
 * The token policy again, inside the transaction that writes the credential, with the settings row share-locked:
 * a request that passed `requireFreshProof` just before an admin stopped tokens issuing credentials either commits
 * first (the admin's change waits for it) or sees the change and is refused. Nothing to check for a session.
 */
export async function tokensStillIssue(tx: SqlTx, actor: Actor, doing: string): Promise<void> {
  if (!(actor.type === "user" && actor.viaToken)) return;
  // The row exists before it is locked (nothing else creates it until settings are first saved): a lock on no row
  // would let the very first "stop tokens" commit in between.
  await tx.$executeRaw`INSERT INTO org_settings (id, "updatedAt") SELECT 1, now()
    WHERE NOT EXISTS (SELECT 1 FROM org_settings WHERE id = 1) ON CONFLICT (id) DO NOTHING`;
  const [row] = await tx.$queryRaw<{ allowed: boolean }[]>`
    SELECT "tokensIssueCredentials" AS allowed FROM org_settings WHERE id = 1 FOR SHARE`;
  if (row && !row.allowed) throw tokenRefusal(doing);
}
