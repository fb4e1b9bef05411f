import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { type ArrayEncoders, binaryArray } from "./binary-array";
import { db } from "./client";
import { dbTarget } from "./config";
import type { Prisma } from "./generated/client";
import { LeanSql, leanPool, rolledBackAtCommit, stalePlan, writeTogether } from "./lean";

declare const txBrand: unique symbol;
declare const sqlBrand: unique symbol;
/**
 * What a function that only runs raw SQL needs of a transaction: `inLeanTransaction` gives one over the hot path's
 * direct connection (lib/db/lean.ts), and every Tx is one.
 */
export type SqlTx = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw"> & { readonly [sqlBrand]: true };
/** A client that is inside a transaction. Only `inTransaction` makes one, so writers that need one cannot run outside. */
export type Tx = Prisma.TransactionClient & { readonly [txBrand]: true; readonly [sqlBrand]: true };

/** PostgreSQL gave up on the transaction because of another one (deadlock, serialization): safe to run again. */
function retryable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const text = `${e?.code ?? ""} ${e?.message ?? ""} ${e?.cause?.code ?? ""} ${e?.cause?.message ?? ""}`;
  return /P2034|40P01|40001|deadlock detected|could not serialize/i.test(text);
}

/** The transaction the current call runs in, while it is open (so commands called inside it join it). */
const ambient = new AsyncLocalStorage<{ tx: Tx; open: boolean }>();

/**
 * Runs `fn` in one database transaction. Functions given here only touch the database, so a transaction that
 * PostgreSQL aborted for a deadlock or serialization failure (it rolled back entirely) is retried, twice at most.
 * Called inside another `inTransaction` (a command run by a command, e.g. a configuration apply running the
 * console's own commands), `fn` joins the outer transaction: all of it commits or none of it does.
 */
export async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const outer = ambient.getStore();
  if (outer?.open) return fn(outer.tx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(
        async (tx) => {
          const scope = { tx: tx as Tx, open: true };
          try {
            return await ambient.run(scope, () => fn(scope.tx));
          } finally {
            scope.open = false;
          }
        },
        { maxWait: 10_000, timeout: 60_000 },
      );
    } catch (err) {
      if (attempt >= 3 || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}

/** Thrown by `fullTx` inside a lean transaction: the work needs the ORM, so it starts again in a Prisma transaction. */
class NeedsFullTx extends Error {}

/** The transaction as the full client, for the rarer steps that need the ORM (see `inLeanTransaction`). */
export function fullTx(tx: SqlTx): Tx {
  if (tx instanceof LeanSql) throw new NeedsFullTx("needs the full client");
  return tx as Tx;
}

/**
 * Runs `fn` in one transaction on the hot path's direct connection (PostgreSQL; raw SQL only, each statement
 * prepared once per connection). Where `fn` reaches a step that needs the ORM, it calls `fullTx`: the lean
 * transaction is rolled back (nothing of it is kept) and `fn` runs again from the start in `inTransaction`. So the
 * common case runs lean and every other one as before. On the embedded database, or inside another transaction,
 * it is `inTransaction`. Deadlocks and serialization failures are retried as there.
 */
export async function inLeanTransaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  const target = dbTarget();
  if (target.kind !== "postgres" || ambient.getStore()?.open) return inTransaction(fn);
  const pool = leanPool(target.url);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    // A connection that breaks while checked out (the server restarting) says so here, not as an uncaught event.
    let broken: unknown;
    const onError = (e: Error) => {
      broken = e;
    };
    client.on("error", onError);
    let failure: unknown;
    // BEGIN goes out with the first statement (the connection pipelines), which answers once both have.
    writeTogether(client);
    const begun = client.query("BEGIN");
    begun.catch(() => {}); // awaited below, or with the first statement
    const sql = new LeanSql(client, begun);
    try {
      const result = await fn(sql as unknown as SqlTx);
      await begun;
      // From here a statement issued late (a promise chain of `fn` still running) would run after the COMMIT or
      // ROLLBACK, outside the transaction: it is refused instead.
      sql.ended = true;
      if (!sql.committed && (await client.query("COMMIT")).command !== "COMMIT") throw rolledBackAtCommit();
      return result;
    } catch (err) {
      failure = err;
      sql.ended = true;
      await client.query("ROLLBACK").catch((e: unknown) => {
        broken ??= e;
      });
      // A statement prepared before a table changed shape (a migration): drop the connection and its prepared
      // statements, and run again on another.
      if (stalePlan(err)) broken ??= err;
    } finally {
      sql.ended = true;
      client.off("error", onError);
      client.release(broken as Error | undefined);
    }
    // The connection is back in the pool before the work runs again, or waits to.
    if (failure instanceof NeedsFullTx) return inTransaction(fn);
    if (attempt >= 3 || !(retryable(failure) || stalePlan(failure))) throw failure;
    await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
  }
}

/** One statement at a time on the hot path's connection (no transaction), as `$queryRaw`/`$executeRaw`. */
export type SqlClient = Pick<SqlTx, "$queryRaw" | "$executeRaw">;

/** The hot path's direct connection outside a transaction, or Prisma's client on the embedded database. */
export function leanSql(): SqlClient {
  const target = dbTarget();
  return target.kind === "postgres" ? (new LeanSql(leanPool(target.url)) as unknown as SqlClient) : db();
}

/**
 * Runs `fn`'s statements on one connection of the hot path, outside a transaction: statements issued together are
 * written together (the connection pipelines) and answer in one round trip. Prisma's client on the embedded database.
 */
export async function onOneConnection<T>(fn: (sql: SqlClient) => Promise<T>): Promise<T> {
  const target = dbTarget();
  if (target.kind !== "postgres") return fn(db());
  const client = await leanPool(target.url).connect();
  let broken: unknown;
  const onError = (e: Error) => {
    broken = e;
  };
  client.on("error", onError);
  const sql = new LeanSql(client);
  try {
    return await fn(sql as unknown as SqlClient);
  } finally {
    sql.ended = true;
    client.off("error", onError);
    // A statement prepared before a table changed shape (whoever caught its failure): the connection goes, with its
    // prepared statements.
    client.release(
      (broken ?? (sql.stale ? new Error("a prepared statement's table changed shape") : undefined)) as
        | Error
        | undefined,
    );
  }
}

/**
 * The transaction's last statement. On the hot path's connection its COMMIT is written right behind it, so both take
 * one round trip (`LeanSql.$queryRawThenCommit`); nothing may run on the transaction afterwards. Inside a Prisma
 * transaction it is a statement like any other, and the transaction commits when its function returns. Either way
 * the statement must leave the transaction ready to commit, whatever it answers. `genericPlan`: the statement runs on
 * its prepared generic plan (PostgreSQL otherwise plans it afresh for each call's values, while it judges the generic
 * plan costlier than the custom ones): for a statement whose generic plan is the plan it needs whatever the values.
 */
export function queryRawThenCommit<T>(tx: SqlTx, sql: Prisma.Sql, opts?: { genericPlan?: boolean }): Promise<T> {
  return tx instanceof LeanSql ? tx.$queryRawThenCommit<T>(sql, opts) : tx.$queryRaw<T>(sql);
}

/** Is this the hot path's connection, where `queryRawThenCommit` saves the COMMIT its own round trip? */
export const commitsWithLastStatement = (tx: SqlTx) => tx instanceof LeanSql;

/** As Prisma sends lists: what `arrayParams` gives where the statement does not run on the hot path's connection. */
const listParams: ArrayEncoders = {
  text: (v) => v.map((x) => x ?? null),
  int4: (v) => v.map((x) => x ?? null),
  int8: (v) => v.map((x) => (x == null ? null : x.toString())),
  bool: (v) => v.map((x) => x ?? null),
  timestamp: (v) => v.map((x) => (x == null ? null : new Date(+x).toISOString())),
};

/**
 * Array parameters (for `unnest`): in PostgreSQL's binary format on the hot path's connection (lib/db/binary-array.ts),
 * as lists inside a Prisma transaction. Either way the statement casts each (`::text[]`, `::int[]`, ...).
 */
export const arrayParams = (tx: SqlTx): ArrayEncoders => (tx instanceof LeanSql ? binaryArray : listParams);
