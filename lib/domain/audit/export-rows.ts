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
 * `COPY … TO STDOUT` streamed with back-pressure (CSV made by the database in its final form and passed through
 * untouched; NDJSON lines made here from the columns as COPY sends them, while the database reads on); on the embedded database,
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

/** The CSV export (header row included) as UTF-8 chunks (from COPY as they come: one may end inside a character). */
export async function* csvChunks(
  filter: AuditFilter,
  head: bigint,
  transport: Transport = defaultTransport(),
  source?: ReadSource,
): AsyncGenerator<Uint8Array> {
  if (transport === "copy") {
    const sql = `SELECT ${csvColumns()} FROM audit_events a WHERE ${rangeWhere(filter, head)} ORDER BY a.position`;
    yield* copyOut(sql, { with: "FORMAT csv, HEADER", from: source });
    return;
  }
  yield Buffer.from(toCsv([], EXPORT_COLUMNS));
  for await (const events of windows(filter, head, source)) {
    const views = events.map(auditEventView);
    if (views.length) yield Buffer.from(toCsv(views.map((v) => EXPORT_COLUMNS.map((c) => v[c]))));
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
  // One COPY of the columns, text already escaped for JSON by the database (`\` and `"`, with replace(): its JSON
  // functions ran at a third of COPY's speed), and the lines made here, on the other core, in auditEventView's order:
  // a text as a JSON string, before and after as the JSON text jsonb gives. Control characters, rare in audit text,
  // are escaped here, in the rows that hold them.
  const sql = `SELECT ${EXPORT_COLUMNS.map(rawColumn).join(", ")} FROM audit_events a WHERE ${rangeWhere(filter, head)} ORDER BY a.position`;
  const decoder = new StringDecoder("utf8");
  let rest = ""; // the text after the last line break
  // A row whose quoted value holds line breaks: its lines so far, until its quotes pair up (each line's quotes are
  // counted once, so a long value with many line breaks costs its length, not its square).
  let open: string[] = [];
  for await (const chunk of copyOut(sql, { with: RAW_LINES, from: source })) {
    const added = decoder.write(chunk);
    const cut = added.lastIndexOf("\n"); // only the new text can hold the line break that ends a row
    if (cut === -1) {
      rest += added;
      continue;
    }
    const lines = (rest + added.slice(0, cut)).split("\n");
    rest = added.slice(cut + 1);
    const batch: ExportRow[] = [];
    for (const line of lines) {
      if (open.length) {
        open.push(line);
        if (count(line, QUOTE) % 2 === 1) {
          batch.push(exportRow(quotedFields(open.join("\n")), null, true));
          open = [];
        }
      } else if (!CONTROL.test(line)) batch.push(exportRow(line.split(SEP), NULL, false));
      else if (!line.includes(QUOTE)) batch.push(exportRow(line.split(SEP), NULL, true));
      else if (count(line, QUOTE) % 2 === 1)
        open = [line]; // runs on past this line break
      else batch.push(exportRow(quotedFields(line), null, true));
    }
    if (batch.length) yield batch;
  }
  if (open.length || rest + decoder.end()) throw new Error("COPY ended inside a row");
}

/**
 * Each export column as COPY sends it: position as digits, occurredAt as the hashed ISO text, JSON as its text, and
 * any other text with `\` and `"` escaped as in a JSON string (E'' literals: whatever standard_conforming_strings says).
 */
const rawColumn = (c: (typeof EXPORT_COLUMNS)[number]) =>
  c === "position"
    ? "a.position"
    : c === "occurredAt"
      ? ISO
      : c === "before" || c === "after"
        ? `a."${c}"::text`
        : `replace(replace(a."${c}", E'\\\\', E'\\\\\\\\'), '"', E'\\\\"')`;
const MEMBERS = EXPORT_COLUMNS.map((c, i) => `${i ? "," : "{"}${JSON.stringify(c)}:`);
const JSON_TEXT = EXPORT_COLUMNS.map((c) => c === "before" || c === "after");
const PREV_HASH = EXPORT_COLUMNS.indexOf("prevHash");
const HASH = EXPORT_COLUMNS.indexOf("hash");
/** A row needing more than a split: a control character other than the separator (or a quoted value). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00\x02-\x1f]/;
const escapeControl = (v: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
  v.replace(/[\x00-\x1f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
/** A hash as stored, from its escaped text (a hex hash has nothing escaped; one edited behind the app's back may). */
const unescaped = (v: string, control: boolean) =>
  control || v.includes("\\") ? (JSON.parse(`"${escapeControl(v)}"`) as string) : v;

/** A row's line from its fields; a field equal to `nulls` (or null) is NULL; `control`: escape control characters. */
function exportRow(f: (string | null)[], nulls: string | null, control: boolean): ExportRow {
  if (f.length !== EXPORT_COLUMNS.length) throw new Error(`audit export: a row of ${f.length} columns`);
  let line = "";
  for (let i = 0; i < f.length; i++) {
    const v = f[i];
    line +=
      MEMBERS[i] + (v === null || v === nulls ? "null" : JSON_TEXT[i] ? v : `"${control ? escapeControl(v) : v}"`);
  }
  return {
    position: BigInt(f[0]!),
    prevHash: unescaped(f[PREV_HASH]!, control),
    hash: unescaped(f[HASH]!, control),
    line: `${line}}`,
  };
}

const count = (s: string, c: string) => {
  let n = 0;
  for (let i = s.indexOf(c); i !== -1; i = s.indexOf(c, i + 1)) n++;
  return n;
};

/** The fields of a row holding quoted values (QUOTE … QUOTE, a QUOTE inside doubled); NULL as null. */
function quotedFields(row: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (row[i] === QUOTE) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = row.indexOf(QUOTE, j);
        if (q === -1) throw new Error("audit export: an unclosed quoted value");
        if (row[q + 1] === QUOTE) {
          value += row.slice(j, q + 1);
          j = q + 2;
        } else {
          value += row.slice(j, q);
          i = q + 1;
          break;
        }
      }
      out.push(value);
    } else {
      const s = row.indexOf(SEP, i);
      const e = s === -1 ? row.length : s;
      const value = row.slice(i, e);
      out.push(value === NULL ? null : value);
      i = e;
    }
    if (i >= row.length) return out;
    i++; // past the separator
  }
}

/**
 * COPY's CSV dialect with control characters as separator and quote, and NULL as `null`: values rarely hold those
 * characters, so most rows split on the separator as they are; a value holding one, a line break, a carriage return
 * or exactly `null` comes quoted.
 */
const SEP = "\x01";
const QUOTE = "\x02";
const NULL = "null";
const RAW_LINES = "FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', NULL 'null'";

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
