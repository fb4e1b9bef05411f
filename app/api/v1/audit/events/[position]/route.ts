import { getAuditEvent } from "@/lib/domain/audit/queries";
import { AuditEventSchema } from "@/lib/domain/audit/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "One audit event, by its position in the chain",
    params: { position: "The event's position (a decimal integer)" },
    response: AuditEventSchema,
  },
  async ({ actor, params }) => getAuditEvent(actor, params.position),
);
