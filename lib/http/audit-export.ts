import "server-only";
import { EXPORT_COLUMNS, type ExportRecord, isEventRecord } from "@/lib/domain/audit/export-format";
import { toCsv } from "./csv";

/**
 * The export body, one chunk per page of records (never the whole export in memory). NDJSON is the verifiable
 * format: one line per record, header and trailer included. CSV is for spreadsheets: the events only, every
 * cell through the shared writer (formulas neutralised).
 */
export async function* auditExportChunks(
  format: "csv" | "ndjson",
  pages: AsyncIterable<ExportRecord[]>,
): AsyncGenerator<string> {
  if (format === "csv") {
    yield toCsv([], EXPORT_COLUMNS);
    for await (const page of pages) {
      const rows = page.filter(isEventRecord);
      if (rows.length) yield toCsv(rows.map((r) => EXPORT_COLUMNS.map((c) => r[c])));
    }
  } else {
    for await (const page of pages) yield page.map((r) => `${JSON.stringify(r)}\n`).join("");
  }
}
