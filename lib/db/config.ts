import path from "node:path";

/** Where the data lives: PostgreSQL when DATABASE_URL is set, else the embedded PGlite folder. */
export type DbTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export function dbTarget(env: Record<string, string | undefined> = process.env): DbTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must be a postgresql:// URL (got "${url.split(":")[0]}:")`);
    }
    return { kind: "postgres", url };
  }
  const dataDir = env.PGLITE_DIR?.trim() || path.join(process.cwd(), ".data", "pglite");
  return { kind: "pglite", dataDir };
}

export function describeTarget(t: DbTarget): string {
  return t.kind === "postgres"
    ? `PostgreSQL ${t.url.replace(/\/\/[^@]*@/, "//***@")}`
    : `embedded PGlite at ${t.dataDir}`;
}

/**
 * Settings of every pool of PostgreSQL connections an instance opens: DATABASE_POOL_SIZE connections at most, each
 * kept 5 minutes once idle. node-postgres closes an idle connection after 10 s by default, and a runtime that paused
 * that long then met new connections on every call of its next burst: on a 2-core machine, after 10 s without a
 * call, authorize's p99 at 100 req/s was 190–260 ms instead of 15 (10 backends started and their statements planned
 * at once, every call of the first ~0.3 s waiting behind them). An idle connection sends a TCP keepalive after 60 s
 * without traffic, so a load balancer or NAT between the app and the database (some drop a connection idle for
 * 4 minutes, without a word to either end) keeps it, and one that died is noticed. Idle connections do not keep a
 * process alive (a script that never closed its pool still exits when it is done).
 */
export const poolSettings = () => ({
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  idleTimeoutMillis: 300_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 60_000,
  allowExitOnIdle: true,
});
