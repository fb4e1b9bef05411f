import { listAuditEvents } from "@/lib/domain/audit/queries";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, req }) =>
  listAuditEvents(actor, Object.fromEntries(req.nextUrl.searchParams)),
);
