import "server-only";
import type { Db } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/tx";
import { MIN_RETENTION_MONTHS, monthsBefore } from "../retention/months";
import { checkpointSignatureValid, checkpointView, publicKeysOf } from "./checkpoint-format";
import { GENESIS_HASH } from "./hash";
import { publishedKeys } from "./signing-keys";

/** Where the chain starts: positions up to `position` were pruned under retention (0 and the genesis hash if none). */
export async function auditBase(client: Tx | Db = db()): Promise<{ position: bigint; hash: string }> {
  const row = await client.auditBase.findUnique({ where: { id: 1 } });
  return { position: row?.position ?? 0n, hash: row?.hash ?? GENESIS_HASH };
}

/**
 * Why the trail may not start (or be pruned to) `position` with `hash`, or null when it may: retention prunes only
 * up to a checkpoint with that hash, signed under a published key at least MIN_RETENTION_MONTHS before `now`. So
 * someone who can write to the database cannot pass recent history off as pruned by moving the start.
 */
export async function pruneProblem(
  client: Tx | Db,
  position: bigint,
  hash: string,
  now = new Date(),
): Promise<string | null> {
  if (position === 0n) return hash === GENESIS_HASH ? null : "the start names a hash but no position";
  const c = await client.auditCheckpoint.findUnique({ where: { position } });
  const problem = signedStartProblem(c, position, hash);
  if (problem || !c) return problem;
  if (c.signedAt > monthsBefore(now, MIN_RETENTION_MONTHS))
    return `the checkpoint at position ${position} was signed ${c.signedAt.toISOString()}, less than ${MIN_RETENTION_MONTHS} months ago`;
  return null;
}

/**
 * pruneProblem without the age: whether a start stands at a checkpoint with its hash, signed under a published key
 * (the checkpoint signer's test of a start past what it last signed; how old is retention's and the verifier's).
 */
export function signedStartProblem(
  c: { position: bigint; hash: string; signedAt: Date; keyId: string; signature: string } | null,
  position: bigint,
  hash: string,
): string | null {
  if (!c || c.hash !== hash) return `no signed checkpoint carries position ${position} with this hash`;
  if (!checkpointSignatureValid(checkpointView(c), publicKeysOf(publishedKeys())))
    return `the checkpoint at position ${position} does not verify under the published keys`;
  return null;
}
