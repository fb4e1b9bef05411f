import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { auditWhere, requireAuditReader } from "./queries";
import { AuditExportQuerySchema } from "./schemas";
import { writeAuditEvent } from "./write-audit-event";

const PAGE = 1000;

export type ExportRow = {
  position: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  teamId: string | null;
  agentId: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
  hash: string;
};

export const EXPORT_COLUMNS: (keyof ExportRow)[] = ["position", "occurredAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "teamId", "agentId", "outcome", "before", "after", "reason", "requestId", "ip", "prevHash", "hash"];

/**
 * Exports the events matching the filters, oldest first, as a stream of rows read in pages (constant memory).
 * The export is itself audited, before the first row is produced. Every field the hash covers is included,
 * so an NDJSON export can be verified offline (scripts/verify-audit-export.ts).
 */
export async function exportAuditEvents(actor: Actor, meta: RequestMeta, raw: Record<string, unknown>) {
  requireAuditReader(actor);
  const { format, ...filter } = AuditExportQuerySchema.parse(raw);
  await inTransaction((tx) =>
    writeAuditEvent(tx, actor, meta, { action: "audit.exported", targetType: "audit_trail", after: { format, filter } }),
  );
  const where = auditWhere(filter);
  async function* rows(): AsyncGenerator<ExportRow> {
    let after = -1n;
    for (;;) {
      const page = await db().auditEvent.findMany({ where: { AND: [where, { position: { gt: after } }] }, orderBy: { position: "asc" }, take: PAGE });
      for (const e of page) {
        yield { ...e, position: String(e.position), occurredAt: e.occurredAt.toISOString() };
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1].position;
    }
  }
  return { format, rows: rows() };
}
