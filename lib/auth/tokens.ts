import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import type { UserActor } from "@/lib/domain/actor";

/** Tokens are long random secrets, so a fast hash is enough (unlike passwords); only the hash is stored. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function newToken(kind: "pat" | "ak"): { token: string; prefix: string; hash: string } {
  const id = randomBytes(4).toString("hex");
  const token = `acp_${kind}_${id}_${randomBytes(24).toString("base64url")}`;
  return { token, prefix: `acp_${kind}_${id}`, hash: hashToken(token) };
}

/** Resolves a personal access token to the person it acts for, or null when unknown, revoked or expired. */
export async function actorFromPersonalToken(token: string): Promise<UserActor | null> {
  if (!token.startsWith("acp_pat_")) return null;
  const row = await db().personalAccessToken.findUnique({
    where: { hash: hashToken(token) },
    include: { user: { include: { memberships: { select: { teamId: true } } } } },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabledAt) return null;
  // Only touch last-used once a minute, to keep reads cheap.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db().personalAccessToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    type: "user",
    id: row.user.id,
    label: row.user.email,
    role: row.user.role,
    teamIds: row.user.memberships.map((m) => m.teamId),
    ...(row.scopes.length ? { scopes: row.scopes } : {}),
    viaToken: true,
    tokenId: row.id,
  };
}
