import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";

/**
 * The one CSV writer: every CSV the product sends goes through it. A text cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return would be evaluated as a formula by Excel, LibreOffice or Google Sheets (CSV
 * injection): such a cell gets a leading `'` (OWASP's advice), so it is shown as the text it is. JS numbers and
 * bigints are real numeric values and stay numeric (a change of -12.5 is a number, not a formula); everything
 * else is text: objects as JSON, null and undefined as an empty cell. Quoting is RFC 4180 (csv-stringify).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCsvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: unknown): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return neutraliseCsvText(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  return neutraliseCsvText(JSON.stringify(value));
}

/** Rows (and an optional header row first) as CSV text, every cell through `csvCell`. */
export function toCsv(rows: readonly (readonly unknown[])[], header?: readonly string[]): string {
  const all = header ? [header, ...rows] : rows;
  return all.length ? stringify(all.map((row) => row.map(csvCell))) : "";
}

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

/** A CSV download: the whole text, or chunks streamed as they are produced (memory stays flat whatever the size). */
export function csvResponse(filename: string, body: string | AsyncIterable<string>): Response {
  const stream = typeof body === "string" ? body : (Readable.toWeb(Readable.from(body)) as ReadableStream<Uint8Array>);
  return new Response(stream, {
    headers: { "content-type": CSV_CONTENT_TYPE, "content-disposition": `attachment; filename="${filename}"` },
  });
}
