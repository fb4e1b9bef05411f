import { z } from "zod";
import { resourceLineageCsv } from "@/lib/domain/resources/lineage";
import { LineageQuerySchema } from "@/lib/domain/resources/schemas";
import { csvResponse } from "@/lib/http/csv";
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
    return csvResponse(filename, chunks);
  },
);
