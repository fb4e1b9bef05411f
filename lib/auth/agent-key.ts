import "server-only";
import { db } from "@/lib/db/client";
import type { Agent } from "@/lib/db/generated/client";
import { hashToken } from "./tokens";

/**
 * Resolves an agent key to its agent, or null when unknown, revoked or expired (a rotated key expires at the
 * end of its grace period). The agent's status is not checked here: endpoints answer 403 for suspended agents.
 */
export async function agentFromKey(token: string) {
  if (!token.startsWith("acp_ak_")) return null;
  // Every runtime call starts here: the key and its agent in one statement.
  const [row] = await db().$queryRaw<
    (Agent & { keyId: string; keyRevokedAt: Date | null; keyExpiresAt: Date | null; keyLastUsedAt: Date | null })[]
  >`
    SELECT k.id AS "keyId", k."revokedAt" AS "keyRevokedAt", k."expiresAt" AS "keyExpiresAt",
      k."lastUsedAt" AS "keyLastUsedAt", a.*
    FROM agent_keys k JOIN agents a ON a.id = k."agentId"
    WHERE k.hash = ${hashToken(token)}`;
  const now = new Date();
  if (!row || row.keyRevokedAt || (row.keyExpiresAt && row.keyExpiresAt <= now)) return null;
  const { keyId, keyRevokedAt: _r, keyExpiresAt: _e, keyLastUsedAt, ...agent } = row;
  // Last-used is informative: touch it at most once a minute so hot paths stay cheap.
  if (!keyLastUsedAt || now.getTime() - keyLastUsedAt.getTime() > 60_000) {
    await db().agentKey.update({ where: { id: keyId }, data: { lastUsedAt: now } });
  }
  return { key: { id: keyId }, agent: agent as Agent };
}
