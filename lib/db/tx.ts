import type { Prisma } from "./generated/client";
import { db } from "./client";

declare const txBrand: unique symbol;
/** A client that is inside a transaction. Only `inTransaction` makes one, so writers that need one cannot run outside. */
export type Tx = Prisma.TransactionClient & { readonly [txBrand]: true };

export async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction((tx) => fn(tx as Tx), { maxWait: 10_000, timeout: 60_000 });
}
