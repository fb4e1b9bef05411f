import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { poolSettings } from "./config";
import { Prisma } from "./generated/client";

/*
 * The hot path's own connection to PostgreSQL: node-postgres without the ORM, for the raw SQL of authorize and the
 * agent-key lookup (every runtime call). Measured on this machine, a transaction of three raw statements costs the
 * app 1.37 ms of CPU through Prisma's interactive transaction and 0.24 ms here; and each statement is prepared once
 * per connection (named), so PostgreSQL no longer parses and plans it on every call.
 *
 * It speaks Prisma's raw-SQL dialect (`$queryRaw`/`$executeRaw` with tagged templates or Prisma.sql), so the same
 * functions run on it and inside a Prisma transaction; results come back as Prisma gives them (bigint as bigint,
 * timestamps and dates as UTC Dates, json parsed), except numeric, which stays text, and arrays of bigints or
 * timestamps (no hot-path statement reads those; lean.int.test.ts compares the two on every type it reads).
 */

// node-postgres's own serialisation of a parameter (not in its type declarations).
const { prepareValue } = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils;

const TIMESTAMP = 1114;
const DATE = 1082;
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8) return (v: string) => BigInt(v);
    // timestamp(3) holds UTC (as Prisma writes it): read it as such, whatever the process's time zone; a date too.
    if (oid === TIMESTAMP) return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
    if (oid === DATE) return (v: string) => new Date(`${v}T00:00:00Z`);
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

/** A parameter as Prisma sends it: Dates as UTC ISO text, bigints as text, arrays element by element. */
function param(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(param);
  return v;
}

// Statement names by SQL text, so each is parsed and planned once per connection. The hot path's texts are fixed
// (lists travel as arrays); past MAX_NAMED distinct texts, statements run unnamed rather than pile up on the server.
const MAX_NAMED = 200;
const names = new Map<string, string>();
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) {
    name = `acp_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

type Queryable = Pick<pg.PoolClient, "query">;

/** The socket under a checked-out client (node-postgres's `connection.stream`; a pool has none). */
type Corkable = { cork(): void; uncork(): void };
const corked = new WeakSet<Corkable>();

/**
 * Statements sent on one connection in the same pass go out in one write. node-postgres writes each statement as it
 * is sent (a `writev` system call each): with BEGIN and COMMIT, an authorize wrote 8.4 times per call on the data
 * plane, and those writes took ~0.37 ms of its CPU per call on a 2-core machine (a CPU profile). The socket is corked
 * at the first statement and uncorked on the next tick. Sent from a promise continuation (the hot paths: after the
 * pool's connect, after an answer), that tick runs once the promise continuations are all done, those queued
 * meanwhile too: once the code waits for an answer. Sent from plain code in an event's callback, it runs right after
 * that callback, before its continuations. Either way nothing waits for I/O or a timer to be written.
 */
export function writeTogether(client: unknown): void {
  const stream = (client as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
  if (typeof stream?.cork !== "function" || typeof stream.uncork !== "function") return;
  const socket = stream as Corkable;
  if (corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  process.nextTick(() => {
    corked.delete(socket);
    socket.uncork();
  });
}

/**
 * Prisma's raw-SQL calls over a node-postgres client or pool. On a transaction's client (`inLeanTransaction`), the
 * pool's connections pipeline: `begun` is the transaction's BEGIN, written without waiting for its answer, so the
 * first statement goes out in the same round trip and answers only once both have; `$queryRawThenCommit` does the
 * same for the last statement and the COMMIT.
 */
export class LeanSql {
  /** The transaction was committed with its last statement: nothing more may run on it. */
  committed = false;
  /** The transaction is over and its connection back in the pool: a statement sent late must not run there. */
  ended = false;

  constructor(
    private readonly client: Queryable,
    private begun?: Promise<unknown>,
  ) {}

  /** A statement failed on a plan prepared before its table changed shape: the connection should go (see tx.ts). */
  stale = false;

  private usable() {
    if (this.committed) throw new Error("the transaction was committed with its last statement");
    if (this.ended) throw new Error("the transaction is over: its connection went back to the pool");
  }

  private run(query: TemplateStringsArray | Prisma.Sql, values: unknown[], serialise = false) {
    this.usable();
    const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));
    const params = sql.values.map(param);
    writeTogether(this.client);
    const result = this.client.query({
      name: nameOf(sql.text),
      text: sql.text,
      // Serialised here, a value node-postgres cannot send throws before anything is written to the connection.
      values: serialise ? params.map((v) => prepareValue(v)) : params,
    });
    result.catch((e: unknown) => {
      if (stalePlan(e)) this.stale = true;
    });
    const begun = this.begun;
    this.begun = undefined;
    return begun ? Promise.all([begun, result]).then(([, r]) => r) : result;
  }

  /**
   * Runs the transaction's last statement with its COMMIT written right behind it (one round trip for both). Only
   * for a statement that, whatever it answers, leaves the transaction ready to commit. If it fails in PostgreSQL,
   * the transaction is rolled back (PostgreSQL answers the COMMIT with ROLLBACK) and the failure is thrown; its
   * parameters are serialised before anything is sent, so it cannot fail in node-postgres before PostgreSQL runs it.
   */
  async $queryRawThenCommit<T = unknown>(query: Prisma.Sql, { genericPlan = false } = {}): Promise<T> {
    this.usable();
    // The transaction's setting, sent ahead of the statement in the same write (and undone by the COMMIT).
    writeTogether(this.client);
    const planning = genericPlan ? this.client.query("SET LOCAL plan_cache_mode = force_generic_plan") : undefined;
    planning?.catch(() => {}); // awaited below (or, if the statement cannot be sent, the transaction is rolled back)
    const rows = this.run(query, [], true);
    this.committed = true;
    const commit = this.client.query("COMMIT");
    const [p, r, c] = await Promise.allSettled([planning, rows, commit]);
    // The setting failing fails the transaction (PostgreSQL answers the COMMIT with ROLLBACK).
    if (p.status === "rejected") throw p.reason;
    if (r.status === "fulfilled" && c.status === "fulfilled") {
      // PostgreSQL answers a COMMIT with ROLLBACK when an earlier statement failed (and was caught): nothing was kept.
      if (c.value.command !== "COMMIT") throw rolledBackAtCommit();
      return r.value.rows as T;
    }
    // Reading the answer failed after PostgreSQL ran the statement: it was committed, say so.
    if (r.status === "rejected" && c.status === "fulfilled" && c.value.command === "COMMIT")
      throw new Error("the last statement's answer could not be read, and the transaction was committed", {
        cause: r.reason,
      });
    throw r.status === "rejected" ? r.reason : (c as PromiseRejectedResult).reason;
  }

  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Prisma.PrismaPromise<T> {
    return this.run(query, values).then((r) => r.rows as T) as Prisma.PrismaPromise<T>;
  }

  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Prisma.PrismaPromise<number> {
    return this.run(query, values).then((r) => r.rowCount ?? 0) as Prisma.PrismaPromise<number>;
  }
}

/** "cached plan must not change result type": a prepared statement's table changed shape since it was prepared. */
export const stalePlan = (err: unknown) => (err as { code?: unknown } | null)?.code === "0A000";

/** A COMMIT that PostgreSQL answered with ROLLBACK: a statement of the transaction had failed and was caught. */
export const rolledBackAtCommit = () =>
  new Error("the transaction was rolled back at its COMMIT: one of its statements had failed");

const holder = globalThis as unknown as { __acpLean?: { pool: pg.Pool; url: string } };

/** The pool (DATABASE_POOL_SIZE connections, as Prisma's), made on first use. */
export function leanPool(url: string): pg.Pool {
  if (holder.__acpLean?.url !== url) {
    void holder.__acpLean?.pool.end();
    // Pipelined: a statement is written without waiting for the answer to the one before (pg answers in order).
    const pool = new pg.Pool({
      connectionString: url,
      ...poolSettings(),
      types,
      pipeline: true,
    });
    // An idle connection that fails (the server restarting) is dropped by the pool; it must not crash the process.
    pool.on("error", () => {});
    holder.__acpLean = { pool, url };
  }
  return holder.__acpLean.pool;
}

export async function closeLeanPool(): Promise<void> {
  const h = holder.__acpLean;
  holder.__acpLean = undefined;
  await h?.pool.end();
}
