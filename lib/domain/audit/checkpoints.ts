import "server-only";
import { randomUUID, sign } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { runEvery } from "@/lib/periodic";
import { type Actor, requireAdmin } from "../actor";
import { conflict } from "../errors";
import { signedStartProblem } from "./base";
import {
  type Checkpoint,
  checkpointPayload,
  checkpointView,
  exportHeaderPayload,
  exportTrailerPayload,
  type SignedExportHeader,
  type SignedExportTrailer,
} from "./checkpoint-format";
import { lastCheckpointFile } from "./key-dir";
import { requireAuditReader } from "./queries";
import { currentSigningKey, publishedKeys } from "./signing-keys";

/** Sign the head when this many events were added since the last checkpoint, or this long has passed with any. */
const everyEvents = () => BigInt(Number(process.env.AUDIT_CHECKPOINT_EVENTS ?? 1000));
const everyMs = () => Number(process.env.AUDIT_CHECKPOINT_MINUTES ?? 5) * 60_000;

/**
 * Signs the chain head if it moved and a checkpoint is due (or `force`): its position and hash, as committed (a
 * position is taken under the chain head's lock, so every position up to the highest committed one is committed).
 * `at` signs that committed position instead (an export's head), unless it is signed already. Several instances may
 * race: the position is the key, the first signature stands. Answers the new checkpoint, or null.
 */
export async function signCheckpoint(
  opts: { force?: boolean; now?: Date; at?: bigint } = {},
): Promise<Checkpoint | null> {
  const now = opts.now ?? new Date();
  const select = { position: true, hash: true } as const;
  if (opts.at !== undefined) {
    const event = await db().auditEvent.findUnique({ where: { position: opts.at }, select });
    const signed = await db().auditCheckpoint.findUnique({ where: { position: opts.at } });
    return event && !signed ? signAndStore(event, now) : null;
  }
  const last = await db().auditCheckpoint.findFirst({ orderBy: { position: "desc" } });
  const head = await db().auditEvent.findFirst({ orderBy: { position: "desc" }, select });
  if (!head || (last && head.position <= last.position)) return null;
  const due =
    opts.force ||
    !last ||
    head.position - last.position >= everyEvents() ||
    now.getTime() - last.signedAt.getTime() >= everyMs();
  if (!due) return null;
  return signAndStore(head, now);
}

/** Signs an export's header (its version, time, filters and chain head) with the current key. */
export function signExportHeader(h: Omit<SignedExportHeader, "keyId" | "signature"> & { version: number }): {
  keyId: string;
  signature: string;
} {
  const key = currentSigningKey();
  const signature = sign(null, exportHeaderPayload({ ...h, keyId: key.keyId }), key.privateKey).toString("base64url");
  return { keyId: key.keyId, signature };
}

/** Signs an export's trailer: its time and head, and the digest of every line written before it. */
export function signExportTrailer(t: Omit<SignedExportTrailer, "keyId" | "signature">): {
  keyId: string;
  signature: string;
} {
  const key = currentSigningKey();
  const signature = sign(null, exportTrailerPayload({ ...t, keyId: key.keyId }), key.privateKey).toString("base64url");
  return { keyId: key.keyId, signature };
}

type Signed = { position: bigint; hash: string };

/**
 * The last checkpoint this server signed, out of reach of whoever can write the database: in its memory (on
 * globalThis: the periodic signer and the routes load their own copies of this module; undefined until read), and in
 * a file beside the signing keys (AUDIT_KEY_DIR), one per database, so that a restart does not forget it.
 */
const signer = globalThis as unknown as { __acpLastSigned?: Signed | null };

/** A refusal to sign, for the caller (409) and the log: the trail must be checked, or the key folder. */
function refused(why: string, details: Record<string, unknown> = {}): Error {
  log.error(details, `audit checkpoint refused: ${why}`);
  return conflict("checkpoint_refused", `Checkpoint refused: ${why}`);
}

const memoryProblem = (what: string) =>
  `${path.basename(lastCheckpointFile())} in the audit key folder, which remembers the last checkpoint signed, ${what}; fix the folder (or remove the file), then restart`;

function lastSigned(): Signed | null {
  if (signer.__acpLastSigned !== undefined) return signer.__acpLastSigned;
  let text: string;
  try {
    text = fs.readFileSync(lastCheckpointFile(), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw refused(memoryProblem(`cannot be read (${code})`));
    signer.__acpLastSigned = null;
    return null;
  }
  try {
    const { position, hash } = JSON.parse(text) as { position: string; hash: string };
    if (typeof hash !== "string") throw new Error("no hash");
    signer.__acpLastSigned = { position: BigInt(position), hash };
  } catch {
    throw refused(memoryProblem("is not what this server wrote"));
  }
  return signer.__acpLastSigned;
}

/** Written before the checkpoint is stored: a checkpoint is never signed that the server could not remember. */
function remember(signed: Signed) {
  const file = lastCheckpointFile();
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written whole under a name of its own (instances may share the folder), then renamed over the old one: a crash
    // leaves one or the other, never half of either.
    const tmp = `${file}.${randomUUID()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ position: String(signed.position), hash: signed.hash }), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (err) {
    throw refused(memoryProblem(`cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`));
  }
  signer.__acpLastSigned = signed;
}

/** Forgets what is in memory, as a restart does (the file is read again). */
export function restartCheckpointSigner() {
  signer.__acpLastSigned = undefined;
}

/**
 * Signs only onto the chain it signed before: the event at this process's last checkpoint must still carry the hash
 * it signed (a chain rewritten from there with every later hash recomputed, its checkpoints deleted, would otherwise
 * be signed as it now is). Refused (409 checkpoint_refused, logged): nothing signed, and the caller (an admin's
 * POST, an evidence pack, the periodic signer) says so.
 */
async function signAndStore(head: { position: bigint; hash: string }, now: Date): Promise<Checkpoint> {
  const last = lastSigned();
  if (last) {
    const event = await db().auditEvent.findUnique({ where: { position: last.position }, select: { hash: true } });
    // Pruned under retention (the trail now starts at or past it) is not a rewrite, when the start stands at a
    // signed checkpoint with its hash: a start a database writer set past it, to cut history, does not.
    const base = event ? null : await db().auditBase.findUnique({ where: { id: 1 } });
    const pruned =
      !!base &&
      (base.position > last.position || (base.position === last.position && base.hash === last.hash)) &&
      !signedStartProblem(
        await db().auditCheckpoint.findUnique({ where: { position: base.position } }),
        base.position,
        base.hash,
      );
    if (!pruned && event?.hash !== last.hash)
      throw refused(
        `the event this server last signed no longer carries the signed hash: the trail was rewritten or cut (see GET /api/v1/audit/verify); no checkpoint is signed until an operator removes ${path.basename(lastCheckpointFile())} from the audit key folder and restarts (after restoring the database from a backup, say)`,
        { position: String(last.position), signed: last.hash, now: event?.hash ?? null },
      );
  }
  const key = currentSigningKey();
  const unsigned = { position: String(head.position), hash: head.hash, signedAt: now.toISOString(), keyId: key.keyId };
  const signature = sign(null, checkpointPayload(unsigned), key.privateKey).toString("base64url");
  if (!last || head.position > last.position) remember({ position: head.position, hash: head.hash });
  await db().auditCheckpoint.createMany({
    data: [{ position: head.position, hash: head.hash, signedAt: now, keyId: key.keyId, signature }],
    skipDuplicates: true,
  });
  return { ...unsigned, signature };
}

/** An admin signs a checkpoint of the head now (null when the head has not moved since the last). */
export async function signCheckpointNow(actor: Actor) {
  requireAdmin(actor);
  return { checkpoint: await signCheckpoint({ force: true }) };
}

/** Checkpoints, newest first (keyset by position), for auditors and admins. */
export async function listCheckpoints(actor: Actor, opts: { before?: bigint; limit?: number } = {}) {
  requireAuditReader(actor);
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  const rows = await db().auditCheckpoint.findMany({
    where: opts.before ? { position: { lt: opts.before } } : {},
    orderBy: { position: "desc" },
    take: limit + 1,
  });
  return {
    items: rows.slice(0, limit).map(checkpointView),
    nextCursor: rows.length > limit ? String(rows[limit - 1].position) : null,
  };
}

/** The checkpoints up to `upTo`, in position order (for exports). */
export async function* allCheckpoints(upTo: bigint): AsyncGenerator<Checkpoint> {
  let after = -1n;
  for (;;) {
    const rows = await db().auditCheckpoint.findMany({
      where: { position: { gt: after, lte: upTo } },
      orderBy: { position: "asc" },
      take: 1000,
    });
    for (const r of rows) yield checkpointView(r);
    if (rows.length < 1000) return;
    after = rows[rows.length - 1].position;
  }
}

/** Checkpoints past the chain's last event: they were signed for events that have since been removed. */
export async function orphanCheckpoints(): Promise<Checkpoint[]> {
  const last = await db().auditEvent.findFirst({ orderBy: { position: "desc" }, select: { position: true } });
  const rows = await db().auditCheckpoint.findMany({
    where: { position: { gt: last?.position ?? 0n } },
    orderBy: { position: "asc" },
    take: 1000,
  });
  return rows.map(checkpointView);
}

/**
 * The key ids of stored checkpoints that this server's keys do not include: signed by an instance with a key set of
 * its own, or under a key file since removed. Its chain check reports those checkpoints as `checkpoint_mismatch`.
 */
export async function unknownCheckpointKeys(): Promise<string[]> {
  const known = new Set(publishedKeys().keys.map((k) => k.keyId));
  const used = await db().auditCheckpoint.findMany({ distinct: ["keyId"], select: { keyId: true } });
  return used.map((u) => u.keyId).filter((k) => !known.has(k));
}

/** Signs checkpoints as they fall due, in the server process; says at start when checkpoints use keys it lacks. */
export function startCheckpointSigner(intervalMs = Number(process.env.AUDIT_CHECKPOINT_POLL_MS ?? 30_000)) {
  runEvery("audit checkpoint signer", intervalMs, signCheckpoint);
  unknownCheckpointKeys().then(
    (unknown) =>
      unknown.length &&
      log.warn(
        { keyIds: unknown },
        "audit checkpoints are signed with keys this server does not have: every instance must share one key set (AUDIT_KEY_DIR or AUDIT_SIGNING_KEY), and old key files must stay; until then its chain check reports them as checkpoint_mismatch",
      ),
    (err) => log.error({ err: String(err) }, "audit checkpoint keys"),
  );
}
