import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { db } from "./client";
import type { Prisma } from "./generated/client";

declare const txBrand: unique symbol;
/** A client that is inside a transaction. Only `inTransaction` makes one, so writers that need one cannot run outside. */
export type Tx = Prisma.TransactionClient & { readonly [txBrand]: true };

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
