import { listChangeRequests } from "@/lib/domain/changes/queries";
import { ChangeRequestQuerySchema } from "@/lib/domain/changes/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({ query: ChangeRequestQuerySchema }, async ({ actor, query }) => ({
  items: await listChangeRequests(actor, query.status, query.change),
}));
