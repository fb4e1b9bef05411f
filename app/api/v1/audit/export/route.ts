import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { EXPORT_COLUMNS, exportAuditEvents, type ExportRow } from "@/lib/domain/audit/export-audit-events";
import { personRoute } from "@/lib/http/route";

const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** Streams the export: rows are read in pages and written as they come, never buffered whole. */
export const GET = personRoute({}, async ({ actor, req, meta }) => {
  const { format, rows } = await exportAuditEvents(actor, meta, Object.fromEntries(req.nextUrl.searchParams));
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  let body: Readable;
  if (format === "csv") {
    body = Readable.from(
      (async function* () {
        for await (const r of rows) yield EXPORT_COLUMNS.map((c) => cell(r[c as keyof ExportRow]));
      })(),
    ).pipe(stringify({ header: true, columns: EXPORT_COLUMNS as string[] }));
  } else {
    body = Readable.from(
      (async function* () {
        for await (const r of rows) yield `${JSON.stringify(r)}\n`;
      })(),
    );
  }
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
});
