import { z } from "zod";
import { listAuditEvents } from "@/lib/domain/audit/queries";
import { AuditEventLabelsSchema, AuditEventSchema, AuditListQuerySchema } from "@/lib/domain/audit/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "Audit events, newest first (keyset pagination)",
    description:
      "Each item is the hashed object as it was hashed, plus `hash`: recompute it from the item as returned. " +
      "Readable names (actor, target, four-eyes requester and approver) are in `labels`, keyed by position.",
    domainQuery: AuditListQuerySchema,
    response: pageOf(AuditEventSchema).extend({
      labels: z
        .record(z.string(), AuditEventLabelsSchema)
        .meta({ description: "By the item's position: names resolved when read (not hashed, not exported)" }),
    }),
  },
  async ({ actor, req }) => listAuditEvents(actor, Object.fromEntries(req.nextUrl.searchParams)),
);
