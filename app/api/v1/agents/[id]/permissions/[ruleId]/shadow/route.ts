import { shadowReport } from "@/lib/domain/permissions/shadow";
import { ShadowQuerySchema, ShadowReportSchema } from "@/lib/domain/permissions/shadow-schemas";
import { personRoute } from "@/lib/http/route";
import { RULE_PARAMS } from "../../../../view";

export const GET = personRoute(
  {
    tags: ["permissions"],
    summary: "What a shadow rule would have decided: calls judged and changed, by transition and day, with examples",
    params: RULE_PARAMS,
    query: ShadowQuerySchema,
    response: ShadowReportSchema,
  },
  async ({ actor, params, query }) => shadowReport(actor, params.id, params.ruleId, query),
);
