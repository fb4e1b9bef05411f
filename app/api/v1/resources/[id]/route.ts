import { getResource, updateResource } from "@/lib/domain/resources/catalogue";
import { ResourceSchema, ResourceUpdateSchema } from "@/lib/domain/resources/schemas";
import { personRoute } from "@/lib/http/route";

const params = { id: "Resource id" };

export const GET = personRoute(
  { tags: ["resources"], summary: "One catalogued resource", params, response: ResourceSchema },
  async ({ actor, params }) => getResource(actor, params.id),
);

export const PATCH = personRoute(
  {
    tags: ["resources"],
    summary: "Rename, re-scope, reclassify or archive a catalogued resource (admins)",
    params,
    body: ResourceUpdateSchema,
    response: ResourceSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => updateResource(actor, meta, params.id, body),
);
