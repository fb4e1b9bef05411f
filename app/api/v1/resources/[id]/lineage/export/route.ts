import { Readable } from "node:stream";
import { z } from "zod";
import { resourceLineageCsv } from "@/lib/domain/resources/lineage";
import { LineageQuerySchema } from "@/lib/domain/resources/schemas";
import { CSV_CONTENT_TYPE } from "@/lib/http/csv";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["resources"],
    summary: "The resource's lineage as CSV: every decision of the period, oldest first, one a row",
    params: { id: "Resource id" },
    domainQuery: LineageQuerySchema,
    response: { description: "One row per decision", content: { "text/csv": z.string() } },
  },
  async ({ actor, params, req }) => {
    const { filename, chunks } = await resourceLineageCsv(
      actor,
      params.id,
      Object.fromEntries(req.nextUrl.searchParams),
    );
    return new Response(Readable.toWeb(Readable.from(chunks)) as ReadableStream, {
      headers: { "content-type": CSV_CONTENT_TYPE, "content-disposition": `attachment; filename="${filename}"` },
    });
  },
);
