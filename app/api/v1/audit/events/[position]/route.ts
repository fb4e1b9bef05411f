import { getAuditEvent } from "@/lib/domain/audit/queries";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => getAuditEvent(actor, params.position));
