import "server-only";
import { createHash } from "node:crypto";
import { readSource } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, refuseCrossSiteRead } from "../actor";
import { auditBase } from "./base";
import { allCheckpoints, orphanCheckpoints, signExportHeader, signExportTrailer } from "./checkpoints";
import {
  type ChainHead,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportHeader,
  type ExportPruned,
  type ExportSkipped,
  type ExportTrailer,
  exportDigest,
} from "./export-format";
import { csvChunks, ndjsonRows } from "./export-rows";
import { GENESIS_HASH } from "./hash";
import { requireAuditReader } from "./queries";
import { AuditExportQuerySchema } from "./schemas";
import { writeAuditEvent } from "./write-audit-event";

/**
 * Exports the events matching the filters, oldest first, as a stream of UTF-8 chunks (memory bounded by a chunk;
 * see export-rows.ts for how the lines are made). NDJSON, the verifiable format, has one record per line: a header naming the filters and the chain head (position and hash) the export is cut from, the events,
 * a `skipped` record for each run of positions that do not match the filters, and a trailer with the count, the
 * first and last exported positions and a digest. The export is itself audited, before the head is read, so it
 * is included. Every field the hash covers is included, so an NDJSON export verifies offline
 * (lib/domain/audit/verify-export.ts, scripts/verify-audit-export.ts). CSV is for spreadsheets: a header row and
 * the events only, every text cell neutralised against formulas as the shared CSV writer does.
 */
export async function exportAuditEvents(
  actor: Actor,
  meta: RequestMeta,
  raw: Record<string, unknown>,
  action: "audit.exported" | "audit.evidence_exported" = "audit.exported",
) {
  requireAuditReader(actor);
  // Audited in the reader's name (and heavy): another site's link must not start one with their cookie.
  refuseCrossSiteRead(actor, meta, "An export starts from the console: open the audit trail there and export again");
  const { format, ...filter } = AuditExportQuerySchema.parse(raw);
  await inTransaction((tx) =>
    writeAuditEvent(tx, actor, meta, {
      action,
      targetType: "audit_trail",
      after: { format, filter },
    }),
  );
  // The chain is append-only: everything up to this head is fixed, and events written while the export runs are
  // left out (they are after the head the header names).
  // Read from the replica when it has this export's own audit event (lib/db/client.ts: readSource).
  const source = await readSource();
  const headRow = await source.client.auditEvent.findFirst({
    orderBy: { position: "desc" },
    select: { position: true, hash: true },
  });
  const base = await auditBase(source.client);
  const head: ChainHead = { position: String(headRow?.position ?? 0n), hash: headRow?.hash ?? GENESIS_HASH };
  const headPosition = BigInt(head.position);
  const filters = Object.fromEntries(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
  );
  const exportedAt = new Date().toISOString();
  // Signed (NDJSON, the verifiable format): with the keys, the file then verifies only whole, as exported.
  const header: ExportHeader = {
    record: "header",
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    filters,
    head,
    ...(format === "ndjson" ? signExportHeader({ version: EXPORT_VERSION, exportedAt, filters, head }) : {}),
  };

  // Every line written before the trailer, as written: the trailer signs their digest, so with the keys the file
  // verifies only as exported (an edited event with its checkpoints dropped, a forged pruned start, a duplicated key).
  // Chunks are whole lines and none is blank, so hashing them as they go is linesDigest of their lines.
  const lines = createHash("sha256");
  let pendingTrailer: ExportTrailer | null = null; // what body() found, for the trailer once every line is out
  async function* ndjson(): AsyncGenerator<Uint8Array> {
    for await (const text of body()) {
      const chunk = Buffer.from(text); // encoded once, for the digest and the response
      lines.update(chunk);
      yield chunk;
    }
    const trailer = { ...pendingTrailer!, lines: lines.digest("hex") };
    yield Buffer.from(
      `${JSON.stringify({ ...trailer, ...signExportTrailer({ exportedAt, head, lines: trailer.lines }) })}\n`,
    );
  }

  async function* body(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    // The signed checkpoints up to this head (the verifier checks each against its event), and any past the chain's
    // last event now: signed for events that are no longer there, which the verifier reports as a truncated tail.
    // (One signed meanwhile for an event written after this head is neither.)
    for await (const c of allCheckpoints(headPosition))
      if (BigInt(c.position) >= base.position) yield `${JSON.stringify({ record: "checkpoint", ...c })}\n`;
    for (const c of await orphanCheckpoints()) yield `${JSON.stringify({ record: "checkpoint", ...c })}\n`;
    const digest = exportDigest();
    let count = 0;
    let first: string | null = null;
    // Positions up to the base were pruned under retention, at the signed checkpoint exported above.
    if (base.position > 0n) {
      const pruned: ExportPruned = { record: "pruned", to: String(base.position), hash: base.hash };
      yield `${JSON.stringify(pruned)}\n`;
    }
    let next = base.position + 1n; // the first position not yet accounted for
    for await (const rows of ndjsonRows(filter, headPosition, undefined, source)) {
      let out = "";
      for (const e of rows) {
        if (e.position < next) throw new Error(`audit export out of order at position ${e.position}`);
        // A gap before a matching event: its prevHash is the hash at the end of the gap.
        if (e.position > next) out += `${JSON.stringify(skipped(next, e.position - 1n, e.prevHash))}\n`;
        out += `${e.line}\n`;
        const position = String(e.position);
        digest.add(position, e.hash);
        first ??= position;
        count++;
        next = e.position + 1n;
      }
      yield out;
    }
    // A filtered export stands for the events it leaves out by `skipped` records, which the verifier cannot check:
    // the chain behind them is checked here (every position there, each linked to the one before, each signed
    // checkpoint naming its event's hash; not each event's content: GET /audit/verify recomputes those), else the
    // file stops short (no trailer: reported truncated) rather than end as a file that would mislead.
    const broken = Object.keys(filters).length > 0 && !(await linksIntact(source.client, base, headPosition));
    // Retention pruned the start while we read (or checked): what was read may miss events the records account for.
    // Stop short (no trailer, so the file is reported truncated) rather than end a file that would mislead.
    if ((await auditBase(source.client)).position !== base.position)
      throw new Error("the audit trail was pruned under retention during the export: export again");
    if (broken)
      throw new Error("the audit trail has missing or unlinked events before the head: run GET /audit/verify");
    if (next <= headPosition) yield `${JSON.stringify(skipped(next, headPosition, head.hash))}\n`;
    pendingTrailer = {
      record: "trailer",
      count,
      firstPosition: first,
      lastPosition: count ? String(next - 1n) : null,
      digest: digest.hex(),
      head,
    };
  }
  return { format, head, chunks: format === "csv" ? csvChunks(filter, headPosition, undefined, source) : ndjson() };
}

const skipped = (from: bigint, to: bigint, hash: string): ExportSkipped => ({
  record: "skipped",
  from: String(from),
  to: String(to),
  hash,
});

/**
 * Whether every position in (base, head] holds an event whose prevHash is the hash of the one before it, and every
 * signed checkpoint there names its event's hash.
 */
async function linksIntact(
  client: Awaited<ReturnType<typeof readSource>>["client"],
  base: { position: bigint; hash: string },
  head: bigint,
): Promise<boolean> {
  const [r] = await client.$queryRaw<{ n: bigint; broken: bigint; unsigned: bigint }[]>`
    SELECT count(*)::bigint AS n, count(*) FILTER (WHERE "prevHash" <> prev)::bigint AS broken,
      (SELECT count(*) FROM audit_checkpoints c JOIN audit_events e ON e.position = c.position
       WHERE c.position > ${base.position} AND c.position <= ${head} AND c.hash <> e.hash)::bigint AS unsigned
    FROM (SELECT "prevHash", lag(hash, 1, ${base.hash}) OVER (ORDER BY position) AS prev
          FROM audit_events WHERE position > ${base.position} AND position <= ${head}) t`;
  return r.n === head - base.position && r.broken === 0n && r.unsigned === 0n;
}
