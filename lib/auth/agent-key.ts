import "server-only";
import { db } from "@/lib/db/client";
import { hashToken } from "./tokens";

/**
 * Resolves an agent key to its agent, or null when unknown, revoked or expired (a rotated key expires at the
 * end of its grace period). The agent's status is not checked here: endpoints answer 403 for suspended agents.
 */
export async function agentFromKey(token: string) {
  if (!token.startsWith("acp_ak_")) return null;
  const key = await db().agentKey.findUnique({ where: { hash: hashToken(token) }, include: { agent: true } });
  const now = new Date();
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  // Last-used is informative: touch it at most once a minute so hot paths stay cheap.
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
    await db().agentKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  return { key, agent: key.agent };
}
