import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { log } from "@/lib/log";
import { dbTarget } from "./config";
import { PrismaClient } from "./generated/client";

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
      adapter: new PrismaPg({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
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

/** Where a heavy read runs: the client, and for COPY the connection string behind it. */
export type ReadSource = { client: PrismaClient; url: string | null; replica: boolean };

const replicaUrl = () => (dbTarget().kind === "postgres" && process.env.DATABASE_READ_URL?.trim()) || null;
const REPLICA_WAIT_MS = () => {
  const ms = Number(process.env.DATABASE_READ_WAIT_MS ?? 250);
  return Number.isFinite(ms) && ms >= 0 ? ms : 250;
};

/**
 * Where spend and audit reads go. With DATABASE_READ_URL (a streaming replica of DATABASE_URL's primary), the
 * replica — but only once it has replayed every transaction committed on the primary before this call (the
 * primary's WAL flush position, compared with the replica's replay position), so whatever anyone saved before a
 * page or an API read began is in what it shows: read-your-writes, for every instance behind a load balancer.
 * A replica that lags longer than DATABASE_READ_WAIT_MS (250) or does not answer is passed over for the primary.
 * Without DATABASE_READ_URL, and on the embedded database, the primary.
 */
export async function readSource(): Promise<ReadSource> {
  const primary = {
    client: db(),
    url: dbTarget().kind === "postgres" ? process.env.DATABASE_URL!.trim() : null,
    replica: false,
  };
  const url = replicaUrl();
  const h = holder.__acpDb!;
  if (!url || (h.replicaDownUntil ?? 0) > Date.now()) return primary;
  h.replica ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      connectionTimeoutMillis: 2000,
    }),
  });
  const replica = h.replica;
  const [{ lsn }] = await primary.client.$queryRaw<{ lsn: string }[]>`SELECT pg_current_wal_flush_lsn()::text AS lsn`;
  try {
    const deadline = Date.now() + REPLICA_WAIT_MS();
    for (;;) {
      const [{ ok }] = await replica.$queryRaw<{ ok: boolean }[]>`
        SELECT coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) AS ok`;
      if (ok) return { client: replica, url, replica: true };
      if (Date.now() >= deadline) return primary;
      await new Promise((r) => setTimeout(r, 5));
    }
  } catch (err) {
    // The replica is down or refusing: the primary answers, and the replica is asked again in 5 s.
    log.warn({ err: String(err) }, "read replica unavailable: reading from the primary");
    h.replicaDownUntil = Date.now() + 5000;
    return primary;
  }
}

/** The client for a heavy read (readSource). */
export const readDb = async (): Promise<PrismaClient> => (await readSource()).client;

export async function disconnectDb(): Promise<void> {
  const h = holder.__acpDb!;
  await h.replica?.$disconnect();
  h.replica = undefined;
  h.replicaDownUntil = undefined;
  await h.prisma?.$disconnect();
  await h.pglite?.close();
  h.prisma = undefined;
  h.pglite = undefined;
}
