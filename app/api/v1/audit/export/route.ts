import { Readable } from "node:stream";
import { z } from "zod";
import { exportAuditEvents } from "@/lib/domain/audit/export-audit-events";
import { AuditExportQuerySchema } from "@/lib/domain/audit/schemas";
import { auditExportChunks } from "@/lib/http/audit-export";
import { CSV_CONTENT_TYPE } from "@/lib/http/csv";
import { personRoute } from "@/lib/http/route";

/** Streams the export page by page: one chunk per page of rows, never the whole export in memory. */
export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "Stream the matching events as CSV or NDJSON (oldest first; audited)",
    domainQuery: AuditExportQuerySchema,
    response: {
      description: "The events, one per line",
      content: { "text/csv": z.string(), "application/x-ndjson": z.string() },
    },
  },
  async ({ actor, req, meta }) => {
    const { format, pages } = await exportAuditEvents(actor, meta, Object.fromEntries(req.nextUrl.searchParams));
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    return new Response(Readable.toWeb(Readable.from(auditExportChunks(format, pages))) as ReadableStream, {
      headers: {
        "Content-Type": format === "csv" ? CSV_CONTENT_TYPE : "application/x-ndjson; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${stamp}.${format}"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
