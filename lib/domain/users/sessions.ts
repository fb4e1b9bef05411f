import "server-only";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { inTransaction, type Tx } from "@/lib/db/tx";

/**
 * Console sessions (the user_sessions table's one owner). The session cookie is a signed JWT that carries
 * only the row's id (`sid`); every request reads the row and its person in one statement, so signing out,
 * a password change, a deactivation or an admin's "sign out everywhere" end a session at its next request,
 * and a replayed cookie is worth nothing. Personal access tokens are separate (lib/auth/tokens.ts).
 */

/** How long a console session lasts from sign-in (absolute: sign in again after it). */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export type SessionUser = {
  sessionId: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
  mustChangePassword: boolean;
};

/**
 * Starts a session for a person who is active as it commits: the person's row is read under a shared lock, so a
 * deactivation (which takes it for update, then ends the person's sessions) either waits for this session and ends it
 * too, or has committed and is seen here (SessionRefused). Without it, a sign-in racing a deactivation could
 * start a session that a later reactivation would bring back.
 */
export async function startSession(
  userId: string,
  from: { ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<string> {
  return inTransaction(async (tx) => {
    const [person] = await tx.$queryRaw<{ disabledAt: Date | null }[]>`
      SELECT "disabledAt" FROM users WHERE id = ${userId} FOR SHARE`;
    if (!person || person.disabledAt) throw new SessionRefused("This person is deactivated: no session was started");
    const row = await tx.userSession.create({
      data: {
        userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
        ip: from.ip,
        userAgent: from.userAgent?.slice(0, 500) ?? null,
      },
      select: { id: true },
    });
    return row.id;
  });
}

/** startSession's refusal: the person was deactivated (or deleted) as they signed in. */
export class SessionRefused extends Error {}

/** The live session and its person in one primary-key read (a join): null when revoked, expired, or the person is deactivated. */
export async function readSession(sessionId: string, now = new Date()): Promise<SessionUser | null> {
  if (typeof sessionId !== "string" || !sessionId || sessionId.length > 100) return null;
  const rows = await db().$queryRaw<
    {
      sessionId: string;
      id: string;
      email: string;
      name: string;
      role: Role;
      teamIds: string[] | null;
      mustChangePassword: boolean;
    }[]
  >`
    SELECT s.id AS "sessionId", u.id, u.email, u.name, u.role::text AS role, u."mustChangePassword",
           (SELECT array_agg(m."teamId" ORDER BY m."teamId") FROM team_memberships m WHERE m."userId" = u.id) AS "teamIds"
    FROM user_sessions s JOIN users u ON u.id = s."userId"
    WHERE s.id = ${sessionId} AND s."revokedAt" IS NULL AND s."expiresAt" > ${now}::timestamp(3) AND u."disabledAt" IS NULL`;
  const r = rows[0];
  return r ? { ...r, teamIds: r.teamIds ?? [], mustChangePassword: !!r.mustChangePassword } : null;
}

/** Sign-out: ends this one session. */
export async function endSession(sessionId: string, now = new Date()): Promise<void> {
  if (typeof sessionId !== "string" || !sessionId) return;
  await db().userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends a person's live sessions (all, or all but `except`) inside the caller's transaction; returns how many. */
export async function revokeSessions(
  tx: Tx,
  userId: string,
  opts: { except?: string | null; now?: Date } = {},
): Promise<number> {
  const now = opts.now ?? new Date();
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, ...(opts.except ? { id: { not: opts.except } } : {}) },
    data: { revokedAt: now },
  });
  return count;
}

/**
 * Ends what a password someone else may know (or a stolen session) could have opened: the person's sessions (all
 * but `except`) and their personal access tokens, inside the caller's transaction.
 */
export async function endSignIns(
  tx: Tx,
  userId: string,
  opts: { except?: string | null } = {},
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  const now = new Date();
  const sessionsEnded = await revokeSessions(tx, userId, { ...opts, now });
  const { count: tokensRevoked } = await tx.personalAccessToken.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: now },
  });
  return { sessionsEnded, tokensRevoked };
}
