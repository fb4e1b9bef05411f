import { createHash } from "node:crypto";
import type { Checkpoint } from "./checkpoint-format";
import { HASHED_MEMBERS } from "./hash";
import type { AuditEventView } from "./view";

/** One exported event: exactly the hashed object (see README, "The audit hash") plus its `hash`. */
export type ExportRow = AuditEventView;

export const EXPORT_COLUMNS: (keyof ExportRow)[] = [...HASHED_MEMBERS, "hash"];

/**
 * The NDJSON export's own records, beside the event lines (which have no `record` field). Together they account
 * for every position from 1 to the chain head the export was cut from, so a verifier knows the exact expected
 * set: a removed, reordered, duplicated or added line, or a truncated file, shows as a position out of place.
 */
export const EXPORT_FORMAT = "acp-audit-export";
/**
 * Version 2 adds `checkpoint` records (signed chain heads) after the header; version 3 signs the trailer over every
 * line before it (`lines`), and the header's signature covers the version. The verifier reads 1, 2 and 3.
 */
export const EXPORT_VERSION = 3;
export type ChainHead = { position: string; hash: string };
export type ExportHeader = {
  record: "header";
  format: typeof EXPORT_FORMAT;
  version: 1 | 2 | typeof EXPORT_VERSION;
  exportedAt: string;
  filters: Record<string, string>;
  head: ChainHead;
  /** The header's signature (checkpoint-format.ts, exportHeaderPayload), in exports made since headers are signed. */
  keyId?: string;
  signature?: string;
};
/** Positions `from`..`to` (inclusive) exist in the chain but do not match the filters; `hash` is the hash at `to`. */
export type ExportSkipped = { record: "skipped"; from: string; to: string; hash: string };
export type ExportTrailer = {
  record: "trailer";
  count: number;
  firstPosition: string | null;
  lastPosition: string | null;
  /** SHA-256 (hex) over "<position> <hash>\n" for every exported event, in file order. */
  digest: string;
  head: ChainHead;
  /** Version 3: SHA-256 (hex) over every line before the trailer, each as written with its "\n", signed here. */
  lines?: string;
  keyId?: string;
  signature?: string;
};
/** A signed checkpoint of the chain (every one there is, in position order, right after the header). */
export type ExportCheckpoint = { record: "checkpoint" } & Checkpoint;
/**
 * Positions 1..`to` were deleted under the audit retention policy, only ever up to a signed checkpoint: `hash` is the
 * hash at `to` (the next event's prevHash), and the checkpoint at `to` (exported beside it) signs it.
 */
export type ExportPruned = { record: "pruned"; to: string; hash: string };
export type ExportRecord = ExportHeader | ExportCheckpoint | ExportPruned | ExportRow | ExportSkipped | ExportTrailer;

export const isEventRecord = (r: ExportRecord): r is ExportRow => !("record" in r);

/** A trailer's `lines`: the bytes of every line before it (blank lines, which carry nothing, left out). */
export function linesDigest() {
  const h = createHash("sha256");
  return {
    add: (line: string) => {
      if (line.trim()) h.update(`${line}\n`);
    },
    hex: () => h.digest("hex"),
  };
}

/** The digest a trailer carries; the verifier computes the same over the events it reads. */
export function exportDigest() {
  const h = createHash("sha256");
  let pending = ""; // hashed in blocks: one update per event cost a tenth of a million-event export
  return {
    add: (position: string, hash: string) => {
      pending += `${position} ${hash}\n`;
      if (pending.length > 65536) {
        h.update(pending);
        pending = "";
      }
    },
    hex: () => h.update(pending).digest("hex"),
  };
}
