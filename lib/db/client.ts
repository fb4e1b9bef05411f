import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { log } from "@/lib/log";
import { dbTarget, poolSettings } from "./config";
import { PrismaClient } from "./generated/client";
import { closeLeanPool } from "./lean";

export type Db = PrismaClient;

type Holder = { prisma?: PrismaClient; pglite?: PGlite; replica?: PrismaClient; replicaDownUntil?: number };
// One client (and, for the embedded default, one PGlite instance) per process, surviving dev reloads:
// two PGlite instances on one data folder corrupt it.
const holder = globalThis as unknown as { __acpDb?: Holder };
holder.__acpDb ??= {};

function create(): PrismaClient {
  const target = dbTarget();
  if (target.kind === "postgres") {
    return new PrismaClient({
      adapter: new PrismaPg({ connectionString: target.url, ...poolSettings() }),
    });
  }
  const pglite = new PGlite({ dataDir: target.dataDir });
  holder.__acpDb!.pglite = pglite;
  return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
}

export function db(): PrismaClient {
  const h = holder.__acpDb!;
  h.prisma ??= create();
  return h.prisma;
}

/**
 * Where a heavy read runs: the client, for COPY the connection string behind it, and the primary's WAL position
 * the replica had replayed (a COPY's own connection checks it again: lib/db/copy.ts).
 */
export type ReadSource = { client: PrismaClient; url: string | null; replica: boolean; lsn: string | null };

const replicaUrl = () => (dbTarget().kind === "postgres" && process.env.DATABASE_READ_URL?.trim()) || null;
const REPLICA_WAIT_MS = () => {
  const ms = Number(process.env.DATABASE_READ_WAIT_MS ?? 250);
  return Number.isFinite(ms) && ms >= 0 ? ms : 250;
};

function primarySource(): ReadSource {
  const url = dbTarget().kind === "postgres" ? process.env.DATABASE_URL!.trim() : null;
  return { client: db(), url, replica: false, lsn: null };
}

/** Sets the replica aside for `ms` (down, promoted, or lagging), with one log line per episode. */
function setReplicaAside(h: Holder, ms: number, why: string, err?: unknown) {
  if ((h.replicaDownUntil ?? 0) <= Date.now())
    log.warn(
      { why, err: err === undefined ? undefined : String(err) },
      "read replica set aside: reading from the primary",
    );
  h.replicaDownUntil = Date.now() + ms;
}

/**
 * Where spend and audit reads go. With DATABASE_READ_URL (a streaming replica of DATABASE_URL's primary), the
 * replica — but only once it has replayed every transaction committed on the primary before this call (the
 * primary's WAL flush position, compared with the replica's replay position), so whatever anyone saved before a
 * page or an API read began is in what it shows: read-your-writes, for every instance behind a load balancer.
 * (Asynchronously committed writes — rate-limit counters, a key's last use — may not be flushed yet; nothing reads
 * them from the replica.) A replica that lags longer than DATABASE_READ_WAIT_MS (250), does not answer, or is no
 * longer in recovery (promoted) is set aside for a while and the primary answers. Without DATABASE_READ_URL, and on
 * the embedded database, the primary.
 */
export async function readSource(): Promise<ReadSource> {
  const url = replicaUrl();
  const h = holder.__acpDb!;
  if (!url || (h.replicaDownUntil ?? 0) > Date.now()) return primarySource();
  h.replica ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: url,
      ...poolSettings(),
      connectionTimeoutMillis: 2000,
    }),
  });
  const replica = h.replica;
  const [{ lsn }] = await db().$queryRaw<{ lsn: string }[]>`SELECT pg_current_wal_flush_lsn()::text AS lsn`;
  try {
    const deadline = Date.now() + REPLICA_WAIT_MS();
    for (;;) {
      const [r] = await replica.$queryRaw<{ standby: boolean; ok: boolean }[]>`
        SELECT pg_is_in_recovery() AS standby, coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) AS ok`;
      if (!r.standby) {
        setReplicaAside(h, 60_000, "DATABASE_READ_URL is not a standby (promoted, or a primary)");
        return primarySource();
      }
      if (r.ok) return { client: replica, url, replica: true, lsn };
      if (Date.now() >= deadline) {
        setReplicaAside(h, 1000, `more than ${REPLICA_WAIT_MS()} ms behind`);
        return primarySource();
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } catch (err) {
    setReplicaAside(h, 5000, "unavailable", err);
    return primarySource();
  }
}

/**
 * Runs a heavy read on readSource's choice; if the replica fails it mid-read (a query cancelled by replay, the
 * replica going away), once more on the primary: a read never fails for the replica's sake.
 */
export async function withReader<T>(read: (client: PrismaClient) => Promise<T>): Promise<T> {
  const source = await readSource();
  if (!source.replica) return read(source.client);
  try {
    return await read(source.client);
  } catch (err) {
    setReplicaAside(holder.__acpDb!, 5000, "a read failed on it", err);
    return read(db());
  }
}

export async function disconnectDb(): Promise<void> {
  const h = holder.__acpDb!;
  await h.replica?.$disconnect();
  h.replica = undefined;
  h.replicaDownUntil = undefined;
  await h.prisma?.$disconnect();
  await h.pglite?.close();
  h.prisma = undefined;
  h.pglite = undefined;
  await closeLeanPool();
}
