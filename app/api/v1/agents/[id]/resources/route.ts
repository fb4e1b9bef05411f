import { touchedResources } from "@/lib/domain/resources/lineage";
import { LineageQuerySchema, TouchedResourcesSchema } from "@/lib/domain/resources/schemas";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["resources"],
    summary: "The resources the agent touched over a period, most called first, with their catalogue entries",
    description:
      "Default: the last 30 days; at most 400. The 200 most called resources (`more` says if there are others).",
    params: AGENT_PARAM,
    domainQuery: LineageQuerySchema,
    response: TouchedResourcesSchema,
  },
  async ({ actor, params, req }) => touchedResources(actor, params.id, Object.fromEntries(req.nextUrl.searchParams)),
);
