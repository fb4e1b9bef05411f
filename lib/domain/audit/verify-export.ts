import type { KeyObject } from "node:crypto";
import { MIN_RETENTION_MONTHS, monthsBefore } from "../retention/months";
import {
  type Checkpoint,
  checkpointSignatureValid,
  exportHeaderSignatureValid,
  exportTrailerSignatureValid,
  type SignedExportHeader,
  type SignedExportTrailer,
} from "./checkpoint-format";
import { type ChainHead, EXPORT_FORMAT, EXPORT_VERSION, exportDigest, linesDigest } from "./export-format";
import { type AuditHashInput, auditHash, GENESIS_HASH, HASHED_MEMBERS } from "./hash";

const HASHED = new Set<string>(HASHED_MEMBERS);
/** occurredAt exactly as the hash covers it: `Date.prototype.toISOString()`'s form of a valid time. */
const isHashedTime = (v: unknown) =>
  typeof v === "string" && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

export type ExportVerdict =
  | {
      intact: true;
      events: number;
      head: ChainHead;
      filters: Record<string, string>;
      /** Positions a filtered export accounts for by `skipped` records (taken on trust: their events are not in it). */
      skipped: string;
      /** Signed checkpoints read, and whether their signatures were checked (against keys given to the verifier). */
      checkpoints: number;
      signatures: "verified" | "not checked";
      /** Positions 1 to this were pruned under retention, at a signed checkpoint (null when nothing was). */
      prunedThrough: string | null;
      /** When that checkpoint was signed. */
      prunedAt: string | null;
    }
  | { intact: false; line: number; position: string | null; message: string };

/**
 * Checks an NDJSON audit export offline, line by line (pure: feed it lines, read the verdict; memory stays
 * constant). The header names the chain head the export was cut from; event lines and `skipped` records must
 * account for every position from 1 to that head, in order, exactly once; each event's hash must be the hash of
 * its content and its prevHash the hash at the position before it (the previous event's, or a skipped run's);
 * the last hash must be the head's; the trailer's count, first and last positions and digest must match what was
 * read. So a removed, reordered, duplicated or added line, an edited event or a truncated file is reported, with
 * the position where the file stops matching the chain.
 */
export function createExportVerifier(opts: { keys?: Map<string, KeyObject>; now?: Date } = {}) {
  const checkpoints = new Map<bigint, Checkpoint>();
  let eventsStarted = false;
  let lineNo = 0;
  let header: {
    head: ChainHead;
    headPosition: bigint;
    filters: Record<string, string>;
    version: number;
    exportedAt: unknown;
  } | null = null;
  // Every line before the trailer, as read (version 3 trailers sign their digest).
  const lines = linesDigest();
  let trailerSeen = false;
  let verdict: ExportVerdict | null = null;
  let next = 1n;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let skipped = 0n;
  let first: string | null = null;
  let last: string | null = null;
  let prunedThrough: string | null = null;
  let prunedAt: string | null = null;
  const digest = exportDigest();

  const broken = (position: bigint | string | null, message: string): ExportVerdict => {
    verdict = { intact: false, line: lineNo, position: position === null ? null : String(position), message };
    return verdict;
  };

  function push(raw: string): ExportVerdict | null {
    if (verdict) return verdict;
    lineNo++;
    if (!raw.trim()) return null;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(raw);
      if (!r || typeof r !== "object" || Array.isArray(r)) throw new Error();
    } catch {
      return broken(header ? next : null, "the line is not a JSON object");
    }
    if (trailerSeen) return broken(null, "a line follows the trailer");
    if (r.record !== "trailer") lines.add(raw);
    if (!header) {
      if (r.record !== "header" || r.format !== EXPORT_FORMAT)
        return broken(null, "the first line is not the export header (removed, or not an audit export)");
      if (r.version !== EXPORT_VERSION && r.version !== 2 && r.version !== 1)
        return broken(null, `unsupported export version ${String(r.version)}`);
      const head = r.head as ChainHead;
      if (!head || !/^\d+$/.test(String(head.position)) || typeof head.hash !== "string")
        return broken(null, "the header names no chain head");
      // With the keys, the header is the server's signed statement of where this export ends and what it filters.
      if (opts.keys && !exportHeaderSignatureValid(r as unknown as SignedExportHeader, opts.keys))
        return broken(
          null,
          r.signature === undefined
            ? "the export header is not signed (exported before headers were signed? verify it without the keys, or export again)"
            : "the export header's signature does not verify under the keys given: its chain head, filters or time were changed (the file cut short, or given other filters), or it was signed with another key",
        );
      header = {
        head,
        headPosition: BigInt(head.position),
        filters: (r.filters ?? {}) as Record<string, string>,
        version: r.version as number,
        exportedAt: r.exportedAt,
      };
      return null;
    }
    if (r.record === "header") return broken(next, "a second header");
    if (r.record === "checkpoint") return readCheckpoint(r);
    if (r.record === "pruned") return readPruned(r);
    eventsStarted = true;
    if (r.record === "skipped") {
      const from = parsePosition(r.from);
      const to = parsePosition(r.to);
      if (from === null || to === null || to < from || typeof r.hash !== "string")
        return broken(next, "a malformed skipped record");
      // An unfiltered export skips nothing: a skipped record there stands in for a deleted event.
      if (Object.keys(header.filters).length === 0)
        return broken(from, "an unfiltered export skips nothing: this skipped record replaces an event");
      if (from !== next) return placeError(from, "skipped run");
      if (to > header.headPosition) return broken(to, "a skipped run goes past the chain head the header names");
      const signed = checkpoints.get(to);
      if (signed && signed.hash !== r.hash) return rewritten(to);
      skipped += to - from + 1n;
      next = to + 1n;
      prevHash = r.hash;
      return null;
    }
    if (r.record === "trailer") return checkTrailer(r);
    if (r.record !== undefined) return broken(next, `an unknown record type ${JSON.stringify(r.record)}`);

    const position = parsePosition(r.position);
    if (position === null) return broken(next, "an event line without a valid position");
    if (position !== next) return placeError(position, "event");
    // Exactly the members the hash covers, in the form it covers them: nothing shown to a reader that nobody signed.
    const extra = Object.keys(r).filter((k) => k !== "hash" && !HASHED.has(k));
    if (extra.length)
      return broken(position, `it carries members the hash does not cover (${extra.slice(0, 3).join(", ")})`);
    const missing = HASHED_MEMBERS.filter((k) => !(k in r));
    if (missing.length) return broken(position, `it lacks hashed members (${missing.join(", ")})`);
    if (!isHashedTime(r.occurredAt))
      return broken(position, "its occurredAt is not in the hashed form (ISO 8601 UTC with milliseconds)");
    const e = r as unknown as AuditHashInput & { hash: string };
    if (e.prevHash !== prevHash) return broken(position, "it does not link to the event before it (prevHash)");
    let hash: string;
    try {
      hash = auditHash(e);
    } catch {
      // A value JSON cannot canonicalise (1e999 is Infinity, a lone surrogate): no verdict of ours rests on it.
      return broken(position, "its content cannot be hashed (a number out of range or text that is not Unicode)");
    }
    if (hash !== e.hash) return broken(position, "its content does not match its hash");
    const signed = checkpoints.get(position);
    if (signed && signed.hash !== e.hash) return rewritten(position);
    digest.add(String(position), e.hash);
    count++;
    first ??= String(position);
    last = String(position);
    prevHash = e.hash;
    next = position + 1n;
    return null;
  }

  /**
   * A signed checkpoint: read before the events, its signature checked when keys were given. Its hash is compared
   * with the event at its position as that event is read; one past the chain head is a truncated tail.
   */
  function readCheckpoint(r: Record<string, unknown>) {
    const c = r as unknown as Checkpoint;
    const position = parsePosition(c.position);
    if (
      position === null ||
      typeof c.hash !== "string" ||
      typeof c.signedAt !== "string" ||
      typeof c.keyId !== "string"
    )
      return broken(null, "a malformed checkpoint record");
    if (eventsStarted) return broken(position, "a checkpoint after the events (checkpoints follow the header)");
    if (opts.keys && !checkpointSignatureValid(c, opts.keys))
      return broken(
        position,
        `the checkpoint's signature does not verify under the keys given (key ${c.keyId}): forged, or signed with another key`,
      );
    checkpoints.set(position, c);
    return null;
  }

  /**
   * Positions 1..to pruned under retention: only before the events, and only at a signed checkpoint with the same
   * hash (with keys, its signature was checked as it was read; without keys, a checkpoint must still be there).
   */
  function readPruned(r: Record<string, unknown>) {
    const to = parsePosition(r.to);
    if (to === null || typeof r.hash !== "string") return broken(next, "a malformed pruned record");
    if (eventsStarted || next !== 1n) return broken(to, "a pruned record after the events (it comes before them)");
    const signed = checkpoints.get(to);
    if (!signed)
      return broken(
        to,
        `positions 1 to ${to} are said to be pruned, but no signed checkpoint covers position ${to}: events were removed`,
      );
    if (signed.hash !== r.hash) return rewritten(to);
    // Retention never prunes what is younger than six months: a recent start is history removed, not pruned.
    if (!(Date.parse(signed.signedAt) <= monthsBefore(opts.now ?? new Date(), MIN_RETENTION_MONTHS).getTime()))
      return broken(
        to,
        `positions 1 to ${to} are said to be pruned at a checkpoint signed ${signed.signedAt}, less than ${MIN_RETENTION_MONTHS} months ago: no retention prunes so recent history; events were removed`,
      );
    eventsStarted = true;
    prunedThrough = String(to);
    prunedAt = signed.signedAt;
    next = to + 1n;
    prevHash = r.hash;
    return null;
  }

  function rewritten(position: bigint) {
    const c = checkpoints.get(position) as Checkpoint;
    return broken(
      position,
      `its hash differs from the checkpoint signed at ${c.signedAt}: the history up to here was rewritten (even if every later hash was recomputed)`,
    );
  }

  /** A line for a position other than the next expected one: a line before it is missing, or this one is out of order. */
  function placeError(position: bigint, what: string) {
    if (position > next)
      return broken(
        next,
        `position ${next} is missing (the next line is the ${what} at position ${position}): a line was removed or moved`,
      );
    return broken(
      position,
      `the ${what} at position ${position} appears again or out of order (expected position ${next} here): a line was added, duplicated or moved`,
    );
  }

  function checkTrailer(r: Record<string, unknown>) {
    const h = header!;
    trailerSeen = true;
    const head = r.head as ChainHead | undefined;
    if (!head || head.position !== h.head.position || head.hash !== h.head.hash)
      return broken(h.head.position, "the trailer's chain head differs from the header's");
    if (next <= h.headPosition)
      return broken(next, `positions ${next} to ${h.headPosition} are missing before the trailer`);
    if (prevHash !== h.head.hash) return broken(h.head.position, "the export does not end at the chain head's hash");
    if (r.count !== count) return broken(null, `the trailer counts ${String(r.count)} events, the file has ${count}`);
    if (r.firstPosition !== first || r.lastPosition !== last)
      return broken(
        null,
        `the trailer's first/last positions (${String(r.firstPosition)}–${String(r.lastPosition)}) differ from the file's (${first}–${last})`,
      );
    if (r.digest !== digest.hex())
      return broken(null, "the trailer's digest does not match the exported positions and hashes");
    // Version 3: the trailer signs every line before it, as exported. Without the keys the digest is still checked.
    if (h.version >= 3) {
      if (r.lines !== lines.hex())
        return broken(null, "the file's lines are not the ones exported (the trailer's `lines` digest differs)");
      const signed = { exportedAt: h.exportedAt, head, lines: r.lines, keyId: r.keyId, signature: r.signature };
      if (opts.keys && !exportTrailerSignatureValid(signed as SignedExportTrailer, opts.keys))
        return broken(
          null,
          "the trailer's signature does not verify under the keys given: the file was changed after export",
        );
    }
    const past = [...checkpoints.keys()].filter((p) => p > h.headPosition).sort((a, b) => (a < b ? -1 : 1))[0];
    if (past !== undefined)
      return broken(
        past,
        `a checkpoint signed at ${checkpoints.get(past)?.signedAt} covers position ${past}, past the chain head ${h.head.position}: events after it were removed (truncated tail)`,
      );
    return null;
  }

  function end(): ExportVerdict {
    if (verdict) return verdict;
    if (!header) return broken(null, "the file is empty: no export header");
    if (!trailerSeen) return broken(next, `the file ends without its trailer after position ${next - 1n}: truncated`);
    verdict = {
      intact: true,
      events: count,
      head: header.head,
      filters: header.filters,
      skipped: String(skipped),
      checkpoints: checkpoints.size,
      signatures: opts.keys ? "verified" : "not checked",
      prunedThrough,
      prunedAt,
    };
    return verdict;
  }

  return { push, end };
}

function parsePosition(v: unknown): bigint | null {
  return typeof v === "string" && /^[1-9]\d{0,18}$/.test(v) ? BigInt(v) : null;
}

/** Verifies a whole export given as lines (or as one text). */
export function verifyAuditExport(
  input: string | Iterable<string>,
  opts: { keys?: Map<string, KeyObject>; now?: Date } = {},
): ExportVerdict {
  const v = createExportVerifier(opts);
  for (const line of typeof input === "string" ? input.split("\n") : input) if (v.push(line.replace(/\r$/, ""))) break;
  return v.end();
}

/**
 * The verdict in one line. A filtered export says so first, with its filters and how many positions it took on trust
 * as skipped: the filters are the file's own claim, so a reader who expected every event sees that this is not it.
 * Each value is printed as a JSON string: a control character in a file's filter cannot paint the line it is on.
 */
export function describeVerdict(v: ExportVerdict): string {
  // Whatever the file put in it (a filter, a hash, a key id), the line carries no control or format character: an
  // escape sequence or a carriage return could paint another verdict over it.
  return verdictLine(v).replace(
    /[\p{Cc}\p{Cf}\u2028\u2029]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`,
  );
}

function verdictLine(v: ExportVerdict): string {
  if (v.intact) {
    const filters = Object.entries(v.filters);
    const scope = filters.length
      ? `FILTERED (${filters.map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(", ")}): ${v.skipped} position(s) outside the filter taken on trust as skipped, not verified; `
      : "";
    return `INTACT: ${scope}${v.events} events verified, chain head position ${v.head.position} (hash ${v.head.hash}); ${v.checkpoints} signed checkpoint(s), signatures ${v.signatures === "verified" ? "verified" : "NOT checked (give the published keys with --keys)"}${v.prunedThrough ? `; positions 1 to ${v.prunedThrough} pruned under retention, at the checkpoint signed ${v.prunedAt}` : ""}`;
  }
  return `BROKEN at ${v.position !== null ? `position ${v.position}` : `line ${v.line}`}: ${v.message} (line ${v.line})`;
}
