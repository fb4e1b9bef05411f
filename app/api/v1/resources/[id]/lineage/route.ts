import { resourceLineage } from "@/lib/domain/resources/lineage";
import { LineageQuerySchema, ResourceLineageSchema } from "@/lib/domain/resources/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["resources"],
    summary: "Who touched the resource over a period: by agent, version, rule, resource, on behalf of and decision",
    description:
      "Every decision whose resource matches the entry's pattern (case ignored). Default: the last 30 days; at most 400. A team lead sees their teams' agents' calls.",
    params: { id: "Resource id" },
    domainQuery: LineageQuerySchema,
    response: ResourceLineageSchema,
  },
  async ({ actor, params, req }) => resourceLineage(actor, params.id, Object.fromEntries(req.nextUrl.searchParams)),
);
