import { z } from "zod";
import { subjectLineage } from "@/lib/domain/resources/lineage";
import { LineageSchema, SubjectLineageQuerySchema } from "@/lib/domain/resources/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["resources"],
    summary: "What agents did on a person's behalf over a period (a data-subject request)",
    description:
      "Admins and auditors (a team lead: their teams' agents); viewers get 403; each lookup is audited (lineage.subject_read). Every decision whose onBehalfOf is the given value, by agent, version, rule, resource and decision. Default: the last 30 days; at most 400.",
    domainQuery: SubjectLineageQuerySchema,
    response: z.object({ onBehalfOf: z.string(), lineage: LineageSchema }).meta({ id: "SubjectLineage" }),
  },
  async ({ actor, req, meta }) => subjectLineage(actor, meta, Object.fromEntries(req.nextUrl.searchParams)),
);
