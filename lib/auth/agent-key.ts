import "server-only";
import type { Agent } from "@/lib/db/generated/client";
import { leanSql, onOneConnection, type SqlClient } from "@/lib/db/tx";
import { hitWindow, type Limit, sweepOldWindows } from "@/lib/domain/limits/rate-limit";
import { hashToken } from "./tokens";

/**
 * Resolves an agent key to its agent, or null when unknown, revoked or expired (a rotated key expires at the
 * end of its grace period). The agent's status is not checked here: endpoints answer 403 for suspended agents.
 *
 * Every runtime call starts here, so it is one statement: the key and its agent, the key's hit counted in its
 * rate-limit window (`limit`, when on; key `key:<key id>`), and its last-used time touched at most once a minute.
 * The statement commits asynchronously: a counter and an informative time are not worth a disk flush per call
 * (a crash may lose the last few hits of a window, nothing else).
 */
export async function agentFromKey(token: string, limit?: Limit): Promise<AuthenticatedAgent | null>;
export async function agentFromKey<P>(
  token: string,
  limit: Limit | undefined,
  preload: Preload<P>,
): Promise<(AuthenticatedAgent & { preloaded: P | undefined }) | null>;
export async function agentFromKey<P>(token: string, limit?: Limit, preload?: Preload<P>) {
  if (!token.startsWith("acp_ak_")) return null;
  const hash = hashToken(token);
  if (!preload) return keyLookup(leanSql(), hash, limit);
  // Both statements in one round trip on one connection, both answered before it goes back to the pool. What the
  // preload read belongs to the key's agent only if the key authenticated (and as that agent). Its failure is not the
  // caller's: the route reads what it needs itself.
  const [who, preloaded] = await onOneConnection((sql) =>
    Promise.allSettled([keyLookup(sql, hash, limit), preload(hash, sql)]),
  );
  if (who.status === "rejected") throw who.reason;
  if (!who.value) return null;
  const read = preloaded.status === "fulfilled" ? preloaded.value : null;
  return { ...who.value, preloaded: read?.agentId === who.value.agent.id ? read.value : undefined };
}

export type AuthenticatedAgent = { key: { id: string }; agent: Agent; hits: { count: number; resetAt: Date } | null };

/**
 * What a route needs of the key's agent, read by the key's hash in the same round trip as the key (outside any
 * transaction, before the body is read): the agent it read (`agentId`) and the value, or null when there is none.
 */
export type Preload<P> = (keyHash: string, sql: SqlClient) => Promise<{ agentId: string; value: P } | null>;

async function keyLookup(sql: SqlClient, hash: string, limit?: Limit): Promise<AuthenticatedAgent | null> {
  const now = new Date();
  const counting = Boolean(limit && limit.limit > 0);
  const window = hitWindow(limit ?? { limit: 0, windowMs: 60_000 }, now.getTime());
  const [row] = await sql.$queryRaw<(Agent & { keyId: string; hits: number | null })[]>`
    WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
    live AS (
      SELECT k.id, k."agentId", k."lastUsedAt" FROM agent_keys k, async
      WHERE k.hash = ${hash} AND k."revokedAt" IS NULL
        AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now}::timestamp(3))
    ),
    hit AS (
      INSERT INTO rate_limit_windows (key, "windowStart", count)
      SELECT 'key:' || live.id, ${window.start}::timestamp(3), 1 FROM live WHERE ${counting}
      ON CONFLICT (key, "windowStart") DO UPDATE SET count = rate_limit_windows.count + 1
      RETURNING count
    ),
    touch AS (
      UPDATE agent_keys k SET "lastUsedAt" = ${now}::timestamp(3) FROM live
      WHERE k.id = live.id AND (live."lastUsedAt" IS NULL OR live."lastUsedAt" < ${new Date(now.getTime() - 60_000)}::timestamp(3))
    )
    SELECT live.id AS "keyId", (SELECT count FROM hit) AS hits, a.id, a.slug, a.name, a.description, a."teamId",
      a.environment::text AS environment, a.status::text AS status, a."statusReason", a."catalogToolsOnly", a."agentCard",
      a."ownerId", a."deployedVersionId", a."lastActivityAt", a."createdAt", a."updatedAt"
    FROM live JOIN agents a ON a.id = live."agentId"`;
  if (counting) sweepOldWindows(now.getTime());
  if (!row) return null;
  const { keyId, hits, ...agent } = row;
  return {
    key: { id: keyId },
    agent: agent as Agent,
    hits: hits === null ? null : { count: Number(hits), resetAt: window.resetAt },
  };
}
