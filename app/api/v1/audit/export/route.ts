import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import { EXPORT_COLUMNS, exportAuditEvents, type ExportRow } from "@/lib/domain/audit/export-audit-events";
import { personRoute } from "@/lib/http/route";

const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** Streams the export page by page: one chunk per page of rows, never the whole export in memory. */
export const GET = personRoute({}, async ({ actor, req, meta }) => {
  const { format, pages } = await exportAuditEvents(actor, meta, Object.fromEntries(req.nextUrl.searchParams));
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const chunks = async function* () {
    if (format === "csv") {
      yield stringify([EXPORT_COLUMNS]);
      for await (const page of pages) yield stringify(page.map((r) => EXPORT_COLUMNS.map((c) => cell(r[c as keyof ExportRow]))));
    } else {
      for await (const page of pages) yield page.map((r) => `${JSON.stringify(r)}\n`).join("");
    }
  };
  return new Response(Readable.toWeb(Readable.from(chunks())) as ReadableStream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
});
