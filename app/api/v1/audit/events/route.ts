import { listAuditEvents } from "@/lib/domain/audit/queries";
import { AuditEventSchema, AuditListQuerySchema } from "@/lib/domain/audit/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "Audit events, newest first (keyset pagination)",
    description:
      "Each item is the hashed object as it was hashed, plus `hash`: recompute it from the item as returned.",
    domainQuery: AuditListQuerySchema,
    response: pageOf(AuditEventSchema),
  },
  async ({ actor, req }) => listAuditEvents(actor, Object.fromEntries(req.nextUrl.searchParams)),
);
