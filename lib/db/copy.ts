import "server-only";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { dbTarget } from "./config";

/** True when the database is PostgreSQL, so `copyOut` can stream (the embedded PGlite cannot). */
export const canCopyOut = () => dbTarget().kind === "postgres";

/**
 * At most this many COPY connections per process (COPY_CONNECTIONS, default 4); more wait their turn. A COPY holds
 * its own connection for as long as its reader takes, so without a cap a few slow readers could use up the
 * database's connections; with it they only queue other exports.
 */
const MAX_COPIES = Math.max(1, Number(process.env.COPY_CONNECTIONS ?? 4));
let running = 0;
const waiting: (() => void)[] = [];
async function acquire() {
  if (running < MAX_COPIES) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
}
/** Hands the slot straight to the next waiter, if any. */
function release() {
  const next = waiting.shift();
  if (next) next();
  else running--;
}
export const copiesRunning = () => ({ running, waiting: waiting.length, max: MAX_COPIES });

/**
 * Streams `COPY (query) TO STDOUT` (text format unless `options` say otherwise, e.g. "FORMAT csv") on a connection
 * of its own, chunk by chunk with back-pressure: the socket is read only as fast as the consumer pulls, so memory
 * stays flat whatever the size. COPY takes no bind parameters, so `query` must carry its values as escaped
 * literals. Stopping early (the consumer returns or throws, as a stream does when its client goes away) ends the
 * COPY and the connection.
 */
export async function* copyOut(query: string, options = ""): AsyncGenerator<Buffer> {
  const target = dbTarget();
  if (target.kind !== "postgres") throw new Error("COPY TO STDOUT needs PostgreSQL");
  await acquire();
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
    const stream = client.query(copyTo(`COPY (${query}) TO STDOUT${options ? ` WITH (${options})` : ""}`));
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
  } finally {
    await client.end().catch(() => {});
    release();
  }
}

/** Undoes COPY's text-format escaping of one field (backslash, and \b \f \n \r \t \v for control characters). */
const COPY_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
export const uncopyText = (field: string) =>
  field.includes("\\") ? field.replace(/\\(.)/gs, (_, c: string) => COPY_ESCAPES[c] ?? c) : field;
