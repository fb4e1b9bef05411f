import { z } from "zod";
import { createResource, listResources } from "@/lib/domain/resources/catalogue";
import { ResourceInputSchema, ResourceSchema } from "@/lib/domain/resources/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["resources"],
    summary: "The catalogue of governed resources, by name (all of them; `archived=true` adds archived)",
    query: z.object({ archived: z.enum(["true", "false"]).optional() }),
    response: z.object({ items: z.array(ResourceSchema) }),
  },
  async ({ actor, query }) => ({ items: await listResources(actor, { archived: query.archived === "true" }) }),
);

export const POST = personRoute(
  {
    tags: ["resources"],
    summary: "Catalogue a resource: name, the glob its calls' resource strings match, kind, classification, owner",
    description:
      "Admins. 409 resource_exists when the name or pattern is taken (case ignored); 422 naming an unknown team.",
    body: ResourceInputSchema,
    response: ResourceSchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, body, meta }) => createResource(actor, meta, body),
);
