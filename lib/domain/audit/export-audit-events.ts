import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import type { AuditHashInput } from "./hash";
import { auditWhere, requireAuditReader } from "./queries";
import { AuditExportQuerySchema } from "./schemas";
import { writeAuditEvent } from "./write-audit-event";

const WINDOW = 5000n;

/** One exported event: every field the hash covers, with the position and time as strings. */
export type ExportRow = Omit<AuditHashInput, "position" | "occurredAt"> & { position: string; occurredAt: string; hash: string };

export const EXPORT_COLUMNS: (keyof ExportRow)[] = ["position", "occurredAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "teamId", "agentId", "outcome", "before", "after", "reason", "requestId", "ip", "prevHash", "hash"];

/**
 * Exports the events matching the filters, oldest first, as a stream of pages of rows (memory bounded by a page).
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
  const head = (await db().auditEvent.aggregate({ _max: { position: true } }))._max.position ?? 0n;
  // Walk the chain in windows of positions: each window is a primary-key range scan whatever the filters, so
  // the export stays linear and memory stays bounded by one window.
  async function* pages(): AsyncGenerator<ExportRow[]> {
    for (let from = 0n; from < head; from += WINDOW) {
      const page = await db().auditEvent.findMany({
        where: { AND: [where, { position: { gt: from, lte: from + WINDOW } }] },
        orderBy: { position: "asc" },
      });
      if (page.length) yield page.map((e) => ({ ...e, position: String(e.position), occurredAt: e.occurredAt.toISOString() }));
    }
  }
  return { format, pages: pages() };
}
