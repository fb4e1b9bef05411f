import { z } from "zod";
import { listChangeRequests } from "@/lib/domain/changes/queries";
import { ChangeRequestListItemSchema } from "@/lib/domain/changes/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

const QuerySchema = z.object({ status: z.enum(["pending", "approved", "rejected"]).default("pending") });

/** The deployment requests among the change requests (kept for scripts written before /change-requests). */
export const GET = personRoute(
  {
    tags: ["versions"],
    summary: "The deployment requests among the change requests (default: pending)",
    query: QuerySchema,
    response: itemsOf(ChangeRequestListItemSchema),
  },
  async ({ actor, query }) => ({ items: await listChangeRequests(actor, query.status, "deployment") }),
);
