import { createAuditSink, listAuditSinks, MAX_AUDIT_SINKS } from "@/lib/domain/audit/sinks/commands";
import { AuditSinkInputSchema, AuditSinkSchema, NewAuditSinkSchema } from "@/lib/domain/audit/sinks/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "SIEM sinks the audit trail streams to, with their lag and last error (admins)",
    response: itemsOf(AuditSinkSchema),
  },
  async ({ actor }) => ({ items: await listAuditSinks(actor) }),
);

export const POST = personRoute(
  {
    tags: ["audit"],
    summary: "Stream the audit trail to a SIEM: HTTPS NDJSON, Splunk HEC or syslog (RFC 5424 over TCP or TLS)",
    description: `Every audit event is delivered at least once, in position order, each carrying position, prevHash and hash so the receiver can verify the chain and deduplicate. An https sink's batches are signed with x-acp-signature (as webhooks); its secret is in this response only. At most ${MAX_AUDIT_SINKS} sinks (409 limit_reached).`,
    body: AuditSinkInputSchema,
    response: NewAuditSinkSchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, body, meta }) => createAuditSink(actor, meta, body),
);
