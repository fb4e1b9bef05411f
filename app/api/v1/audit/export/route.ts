import { Readable } from "node:stream";
import { z } from "zod";
import { exportAuditEvents } from "@/lib/domain/audit/export-audit-events";
import { AuditExportQuerySchema } from "@/lib/domain/audit/schemas";
import { CSV_CONTENT_TYPE } from "@/lib/http/csv";
import { personRoute } from "@/lib/http/route";

/** Streams the export as the database produces it (COPY on PostgreSQL), pulled as fast as the client reads. */
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
    const { format, chunks } = await exportAuditEvents(actor, meta, Object.fromEntries(req.nextUrl.searchParams));
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    return new Response(Readable.toWeb(Readable.from(chunks)) as ReadableStream, {
      headers: {
        "Content-Type": format === "csv" ? CSV_CONTENT_TYPE : "application/x-ndjson; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${stamp}.${format}"`,
        // Sent as the database writes it: gzip on the server would cost ten times the export itself (a proxy may compress).
        "Cache-Control": "no-store, no-transform",
      },
    });
  },
);
