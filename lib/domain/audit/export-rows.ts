import "server-only";
import { StringDecoder } from "node:string_decoder";
import { escapeLiteral } from "pg";
import { db, type ReadSource } from "@/lib/db/client";
import { canCopyOut, copyOut } from "@/lib/db/copy";
import { toCsv } from "@/lib/http/csv";
import { escapeLike } from "../text";
import { SIGN_IN_ACTIONS } from "./actions";
import { EXPORT_COLUMNS } from "./export-format";
import { auditWhere } from "./queries";
import type { AuditFilter } from "./schemas";
import { auditEventView } from "./view";

/**
 * The audit export's rows, oldest first, up to the chain head the export is cut from. On PostgreSQL one
 * `COPY … TO STDOUT` streamed with back-pressure, each line made by the database in its final form (the server
 * passes CSV through untouched and only reads position and hashes off NDJSON lines); on the embedded database,
 * windows of positions read through Prisma and written by the shared view and CSV writer. The two give the same
 * values for any text and JSON (export-rows.int.test.ts), and memory stays bounded by one chunk or window.
 */
export type Transport = "copy" | "windows";
export const defaultTransport = (): Transport => (canCopyOut() ? "copy" : "windows");

/** One NDJSON event line with what the trailer and skipped records need. */
export type ExportRow = { position: bigint; prevHash: string; hash: string; line: string };

const lit = escapeLiteral;
/** As UTC wall time (the column is `timestamp(3)` holding UTC); the schema keeps years within 1970–9999. */
const timestamp = (d: Date) => `${lit(d.toISOString().replace("T", " ").slice(0, -1))}::timestamp`;

/**
 * The filters as SQL over `audit_events a` (what `auditWhere` says to Prisma), values inlined as escaped literals:
 * COPY takes no parameters.
 */
export function auditFilterSql(f: AuditFilter): string[] {
  const where: string[] = [];
  if (f.from) where.push(`a."occurredAt" >= ${timestamp(f.from)}`);
  if (f.to) where.push(`a."occurredAt" < ${timestamp(f.to)}`);
  if (f.actor) where.push(`(a."actorId" = ${lit(f.actor)} OR a."actorLabel" ILIKE ${lit(`%${escapeLike(f.actor)}%`)})`);
  if (f.action)
    where.push(
      f.action.endsWith(".") ? `a.action LIKE ${lit(`${escapeLike(f.action)}%`)}` : `a.action = ${lit(f.action)}`,
    );
  for (const column of ["targetType", "targetId", "teamId", "agentId", "outcome"] as const) {
    const value = f[column];
    if (value) where.push(`a."${column}" = ${lit(value)}`);
  }
  if (f.q) where.push(`a.reason ILIKE ${lit(`%${escapeLike(f.q)}%`)}`);
  if (f.excludeSignIns) where.push(`a.action NOT IN (${SIGN_IN_ACTIONS.map(lit).join(", ")})`);
  return where;
}

const ISO = `to_char(a."occurredAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const rangeWhere = (filter: AuditFilter, head: bigint) =>
  [`a.position <= ${head}`, ...auditFilterSql(filter)].join(" AND ");

/** csvCell's formula guard: a cell starting with = + - @ tab or CR gets a leading `'`. */
const neutral = (x: string) => `CASE WHEN ascii(${x}) IN (61, 43, 45, 64, 9, 13) THEN '''' || ${x} ELSE ${x} END`;
/** csvCell of the JSON value as read back: objects and arrays as JSON, a string as its (guarded) text, null empty. */
const jsonCell = (c: string) =>
  `CASE jsonb_typeof(a."${c}") WHEN 'string' THEN ${neutral(`(a."${c}" #>> '{}')`)} WHEN 'null' THEN NULL ELSE a."${c}"::text END`;
/** Hex and decimal columns the server computes; every other text column is guarded. */
const COMPUTED = new Set(["prevHash", "hash"]);

function csvColumns(): string {
  return EXPORT_COLUMNS.map((c) => {
    if (c === "position") return "a.position";
    if (c === "occurredAt") return `${ISO} AS "occurredAt"`;
    if (c === "before" || c === "after") return `${jsonCell(c)} AS "${c}"`;
    return COMPUTED.has(c) ? `a."${c}"` : `${neutral(`a."${c}"`)} AS "${c}"`;
  }).join(", ");
}

/** The CSV export (header row included) as text chunks. */
export async function* csvChunks(
  filter: AuditFilter,
  head: bigint,
  transport: Transport = defaultTransport(),
  source?: ReadSource,
): AsyncGenerator<string> {
  if (transport === "copy") {
    const decoder = new StringDecoder("utf8");
    const sql = `SELECT ${csvColumns()} FROM audit_events a WHERE ${rangeWhere(filter, head)} ORDER BY a.position`;
    for await (const chunk of copyOut(sql, { with: "FORMAT csv, HEADER", from: source })) yield decoder.write(chunk);
    const rest = decoder.end();
    if (rest) yield rest;
    return;
  }
  yield toCsv([], EXPORT_COLUMNS);
  for await (const events of windows(filter, head, source)) {
    const views = events.map(auditEventView);
    if (views.length) yield toCsv(views.map((v) => EXPORT_COLUMNS.map((c) => v[c])));
  }
}

/** The NDJSON event lines, in batches (one per COPY chunk or window). */
export async function* ndjsonRows(
  filter: AuditFilter,
  head: bigint,
  transport: Transport = defaultTransport(),
  source?: ReadSource,
): AsyncGenerator<ExportRow[]> {
  if (transport === "windows") {
    for await (const events of windows(filter, head, source))
      yield events.map((e) => ({
        position: e.position,
        prevHash: e.prevHash,
        hash: e.hash,
        line: JSON.stringify(auditEventView(e)),
      }));
    return;
  }
  // The hashed object in the hashed members' order, plus hash (row_to_json writes the columns in order).
  // PostgreSQL keeps the subquery's order here (no join or aggregate above it); the caller checks it all the same
  // (positions must rise), so an export could fail but never come out of order. A LATERAL form with an outer ORDER BY
  // measured 30 % slower.
  const object = EXPORT_COLUMNS.map((c) =>
    c === "position" ? "a.position::text AS position" : c === "occurredAt" ? `${ISO} AS "occurredAt"` : `a."${c}"`,
  ).join(", ");
  const sql =
    `SELECT e.position, e."prevHash", e.hash, row_to_json(e)::text FROM (SELECT ${object} FROM audit_events a ` +
    `WHERE ${rangeWhere(filter, head)} ORDER BY a.position) e`;
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of copyOut(sql, { with: RAW_LINES, from: source })) {
    const text = rest + decoder.write(chunk);
    const end = text.lastIndexOf("\n");
    if (end === -1) {
      rest = text; // a row longer than the chunk: wait for its end
      continue;
    }
    rest = text.slice(end + 1);
    const lines = text.slice(0, end).split("\n");
    const batch: ExportRow[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      const a = l.indexOf(SEP);
      const b = l.indexOf(SEP, a + 1);
      const c = l.indexOf(SEP, b + 1);
      // Only a row edited behind the app's back could hold a quoted (empty or multi-line) hash: fail, clearly.
      if (a < 1 || b < a + 2 || c < b + 2 || l.charCodeAt(a + 1) === 2 || l.charCodeAt(b + 1) === 2)
        throw new Error(`audit export: unreadable row ${JSON.stringify(l.slice(0, 80))}`);
      batch[i] = {
        position: BigInt(l.slice(0, a)),
        prevHash: l.slice(a + 1, b),
        hash: l.slice(b + 1, c),
        line: l.slice(c + 1),
      };
    }
    if (batch.length) yield batch;
  }
  if (rest + decoder.end()) throw new Error("COPY ended inside a row");
}

/**
 * COPY's CSV dialect with a control character as separator and another as quote: JSON text never holds a raw
 * control character (row_to_json writes them as \u escapes), nor do positions and hex hashes, and no field holds a
 * newline, so no field is ever quoted or escaped and each line comes out as it is (text format doubled every
 * backslash of the JSON, which then had to be undone line by line).
 */
const SEP = "\x01";
const RAW_LINES = "FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02'";

const WINDOW = 5000n;

/** Windows of positions: each a primary-key range scan whatever the filters, so the walk stays linear. */
async function* windows(filter: AuditFilter, head: bigint, source?: ReadSource) {
  const reader = source?.client ?? db();
  const where = auditWhere(filter);
  for (let from = 0n; from < head; from += WINDOW) {
    const to = from + WINDOW < head ? from + WINDOW : head;
    const rows = await reader.auditEvent.findMany({
      where: { AND: [where, { position: { gt: from, lte: to } }] },
      orderBy: { position: "asc" },
    });
    if (rows.length) yield rows;
  }
}
