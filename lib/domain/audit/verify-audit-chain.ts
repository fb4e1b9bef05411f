import "server-only";
import { db } from "@/lib/db/client";
import { auditBase, pruneProblem } from "./base";
import { checkpointSignatureValid, checkpointView, publicKeysOf } from "./checkpoint-format";
import { type ChainBreak, findChainBreak } from "./hash";
import { publishedKeys, reloadSigningKeys } from "./signing-keys";

export type ChainReport = {
  intact: boolean;
  checked: number;
  headPosition: string;
  break: ChainBreak | null;
  /** Positions 1 to this were pruned under retention, up to a signed checkpoint ("0" when none were). */
  prunedThrough: string;
};

const PAGE = 2000;

/**
 * Walks the chain in pages (constant memory) up to the head as it was when the check began, and reports the
 * first broken position. The head is read first: writers hold its row lock until they commit, so every
 * position up to a committed head is itself committed, and events appended while we walk are left for the
 * next check instead of being mistaken for a gap.
 */
export async function verifyAuditChain(now = new Date()): Promise<ChainReport> {
  const head = await db().auditChainHead.findUnique({ where: { id: 1 } });
  const headPosition = head?.position ?? 0n;
  // Pruned under retention up to a signed checkpoint: the chain is walked from there, once that start is shown to be
  // a checkpoint old enough (else position 1 is missing: history was removed, not pruned).
  const base = await auditBase();
  const prunedThrough = String(base.position);
  if (await pruneProblem(db(), base.position, base.hash, now))
    return {
      intact: false,
      checked: 0,
      headPosition: String(headPosition),
      break: { position: "1", reason: "missing_position" },
      prunedThrough,
    };
  let start = base;
  let checked = 0;
  for (;;) {
    const rows = await db().auditEvent.findMany({
      where: { position: { gt: start.position, lte: headPosition } },
      orderBy: { position: "asc" },
      take: PAGE,
    });
    const r = findChainBreak(rows, start);
    checked += r.checked;
    if (r.break) {
      // A prune that committed while we walked moved the start: walk again from there.
      if ((await auditBase()).position !== base.position) return verifyAuditChain(now);
      return { intact: false, checked, headPosition: String(headPosition), break: r.break, prunedThrough };
    }
    if (rows.length < PAGE) break;
    start = { position: r.lastPosition, hash: r.lastHash };
  }
  // A deleted tail is a gap too: the head row remembers how far the chain reached.
  if (base.position + BigInt(checked) < headPosition) {
    return {
      intact: false,
      checked,
      headPosition: String(headPosition),
      break: { position: String(base.position + BigInt(checked) + 1n), reason: "missing_position" },
      prunedThrough,
    };
  }
  // The signed checkpoints: a chain rewritten with every later hash recomputed still links, but not to what was
  // signed; and one signed past the head stands for events since removed (a truncated tail).
  const signed = await checkpointBreak(headPosition);
  if (signed) return { intact: false, checked, headPosition: String(headPosition), break: signed, prunedThrough };
  return { intact: true, checked, headPosition: String(headPosition), break: null, prunedThrough };
}

/** Checkpoints whose signature this server has verified (by position, hash and signature): each is checked once. */
const verified = globalThis as unknown as { __acpVerifiedCheckpoints?: Set<string> };

/**
 * The first checkpoint after the trail's start that the chain up to the head does not bear out, as a break. Read
 * page by page from the start as it is then (a prune committing meanwhile removes events, not their checkpoints),
 * yielding between pages; a key not known here is looked for again once (another instance may have rotated).
 */
async function checkpointBreak(head: bigint): Promise<ChainBreak | null> {
  verified.__acpVerifiedCheckpoints ??= new Set();
  const seen = verified.__acpVerifiedCheckpoints;
  let keys = publicKeysOf(publishedKeys());
  let after = -1n;
  for (;;) {
    const rows = await db().$queryRaw<
      { position: bigint; hash: string; signedAt: Date; keyId: string; signature: string; eventHash: string | null }[]
    >`
      SELECT c.position, c.hash, c."signedAt", c."keyId", c.signature, e.hash AS "eventHash"
      FROM audit_checkpoints c LEFT JOIN audit_events e ON e.position = c.position
      WHERE c.position > ${after} AND c.position > COALESCE((SELECT position FROM audit_base WHERE id = 1), 0)
      ORDER BY c.position LIMIT 2000`;
    for (const c of rows) {
      // Past the head read at the start: an event appended since (left for the next check), or one removed.
      if (c.position > head) {
        if (c.eventHash === null) return { position: String(head + 1n), reason: "missing_position" };
        continue;
      }
      if (c.eventHash !== c.hash) return { position: String(c.position), reason: "checkpoint_mismatch" };
      const id = `${c.position} ${c.hash} ${c.signature}`;
      if (seen.has(id)) continue;
      if (!keys.has(c.keyId)) {
        reloadSigningKeys();
        keys = publicKeysOf(publishedKeys());
      }
      if (!checkpointSignatureValid(checkpointView(c), keys))
        return { position: String(c.position), reason: "checkpoint_mismatch" };
      seen.add(id);
    }
    if (rows.length < 2000) return null;
    after = rows[rows.length - 1].position;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
