import { z } from "zod";
import { subjectLineageCsv } from "@/lib/domain/resources/lineage";
import { SubjectLineageQuerySchema } from "@/lib/domain/resources/schemas";
import { csvResponse } from "@/lib/http/csv";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["resources"],
    summary: "What agents did on a person's behalf, as CSV: every decision of the period, oldest first",
    description:
      "Admins and auditors (a team lead: their teams' agents); viewers get 403. Each export is audited (lineage.subject_read).",
    domainQuery: SubjectLineageQuerySchema,
    response: { description: "One row per decision", content: { "text/csv": z.string() } },
  },
  async ({ actor, req, meta }) => {
    const { filename, chunks } = await subjectLineageCsv(actor, meta, Object.fromEntries(req.nextUrl.searchParams));
    return csvResponse(filename, chunks);
  },
);
