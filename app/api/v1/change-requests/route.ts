import { listChangeRequests } from "@/lib/domain/changes/queries";
import { ChangeRequestListItemSchema, ChangeRequestQuerySchema } from "@/lib/domain/changes/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["versions"],
    summary: "Four-eyes change requests (default: pending)",
    description:
      "Deployments and rollbacks in a four-eyes environment, turning four-eyes off or dropping required suites, moving an agent with a live version into a four-eyes environment, making someone an admin.",
    query: ChangeRequestQuerySchema,
    response: itemsOf(ChangeRequestListItemSchema),
  },
  async ({ actor, query }) => ({ items: await listChangeRequests(actor, query.status, query.change) }),
);
