import "server-only";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { log } from "@/lib/log";
import type { ReadSource } from "./client";
import { dbTarget } from "./config";

/** True when the database is PostgreSQL, so `copyOut` can stream (the embedded PGlite cannot). */
export const canCopyOut = () => dbTarget().kind === "postgres";

function maxCopies(): number {
  const n = Number(process.env.COPY_CONNECTIONS ?? 4);
  if (Number.isInteger(n) && n >= 1) return n;
  log.warn({ COPY_CONNECTIONS: process.env.COPY_CONNECTIONS }, "COPY_CONNECTIONS is not a whole number ≥ 1: using 4");
  return 4;
}

/**
 * At most COPY_CONNECTIONS (default 4) COPY connections per process; more wait their turn. A COPY holds its own
 * connection (and a snapshot) for as long as its reader takes, so without a cap a few slow readers could use up the
 * database's connections; with it they only queue other exports, and a reader idle for `idleMs` loses its slot.
 * One holder per process, like the database client's.
 */
type Slots = { max: number; running: number; waiting: (() => void)[] };
const holder = globalThis as unknown as { __acpCopySlots?: Slots };
const slots = () => (holder.__acpCopySlots ??= { max: maxCopies(), running: 0, waiting: [] });

async function acquire(): Promise<() => void> {
  const s = slots();
  if (s.running < s.max) s.running++;
  else await new Promise<void>((resolve) => s.waiting.push(resolve));
  let held = true;
  // Hands the slot straight to the next waiter, if any; once only.
  return () => {
    if (!held) return;
    held = false;
    const next = s.waiting.shift();
    if (next) next();
    else s.running--;
  };
}
export const copiesRunning = () => {
  const s = slots();
  return { running: s.running, waiting: s.waiting.length, max: s.max };
};

export type CopyOptions = {
  /** COPY options, e.g. "FORMAT csv, HEADER"; text format when absent. */
  with?: string;
  /** A reader that pulls nothing for this long loses the COPY and its slot (default 60 s). */
  idleMs?: number;
  /**
   * Where to read (lib/db/client.ts readSource); default DATABASE_URL. From a replica, this COPY's own connection
   * checks that the replica has still replayed up to the position readSource saw (else the primary serves it).
   */
  from?: Pick<ReadSource, "url" | "replica" | "lsn">;
};

/**
 * Streams `COPY (query) TO STDOUT` on a connection of its own, chunk by chunk with back-pressure: the socket is read
 * only as fast as the consumer pulls, so memory stays flat whatever the size. COPY takes no bind parameters, so
 * `query` must carry its values as escaped literals. Stopping early (the consumer returns or throws, as a stream
 * does when its client goes away) ends the COPY and the connection; so does a consumer idle for `idleMs`, after
 * which the next pull fails.
 */
export async function* copyOut(query: string, options: CopyOptions = {}): AsyncGenerator<Buffer> {
  const target = dbTarget();
  if (target.kind !== "postgres") throw new Error("COPY TO STDOUT needs PostgreSQL");
  const release = await acquire();
  // The server checks the socket while it works, so a COPY whose reader has gone stops scanning too.
  const open = async (url: string) => {
    const c = new pg.Client({ connectionString: url, options: "-c client_connection_check_interval=1000" });
    c.on("error", (err) => log.warn({ err: err.message }, "COPY connection error"));
    await c.connect();
    return c;
  };
  let client: pg.Client | undefined;
  let idle: NodeJS.Timeout | undefined;
  const close = () => {
    clearTimeout(idle);
    release();
    return client?.end().catch(() => {});
  };
  try {
    const from = options.from;
    if (from?.replica && from.url && from.lsn) {
      try {
        client = await open(from.url);
        const { rows } = await client.query<{ ok: boolean }>(
          "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS ok",
          [from.lsn],
        );
        if (!rows[0]?.ok) {
          await client.end().catch(() => {});
          client = undefined;
        }
      } catch {
        await client?.end().catch(() => {});
        client = undefined;
      }
    }
    client ??= await open(target.url);
    const stream = client.query(copyTo(`COPY (${query}) TO STDOUT${options.with ? ` WITH (${options.with})` : ""}`));
    // One timer, re-armed (refresh) at each chunk handed over; it only acts while the reader holds a chunk.
    let withReader = false;
    idle = setTimeout(() => {
      if (!withReader) return;
      stream.destroy(new Error("COPY reader idle too long"));
      void close();
    }, options.idleMs ?? 60_000);
    try {
      for await (const chunk of stream) {
        withReader = true;
        idle.refresh();
        yield chunk as Buffer;
        withReader = false;
      }
    } finally {
      stream.destroy();
    }
  } finally {
    await close();
  }
}
