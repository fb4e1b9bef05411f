import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import {
  type ChainHead,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportHeader,
  type ExportRecord,
  exportDigest,
} from "./export-format";
import { GENESIS_HASH } from "./hash";
import { auditWhere, requireAuditReader } from "./queries";
import { AuditExportQuerySchema } from "./schemas";
import { auditEventView } from "./view";
import { writeAuditEvent } from "./write-audit-event";

const WINDOW = 5000n;

/**
 * Exports the events matching the filters, oldest first, as a stream of pages of records (memory bounded by a
 * page): a header naming the filters and the chain head (position and hash) the export is cut from, the events,
 * a `skipped` record for each run of positions that do not match the filters, and a trailer with the count, the
 * first and last exported positions and a digest. The export is itself audited, before the head is read, so it
 * is included. Every field the hash covers is included, so an NDJSON export verifies offline
 * (lib/domain/audit/verify-export.ts, scripts/verify-audit-export.ts).
 */
export async function exportAuditEvents(actor: Actor, meta: RequestMeta, raw: Record<string, unknown>) {
  requireAuditReader(actor);
  const { format, ...filter } = AuditExportQuerySchema.parse(raw);
  await inTransaction((tx) =>
    writeAuditEvent(tx, actor, meta, {
      action: "audit.exported",
      targetType: "audit_trail",
      after: { format, filter },
    }),
  );
  const where = auditWhere(filter);
  // The chain is append-only: everything up to this head is fixed, and events written while the export runs are
  // left out (they are after the head the header names).
  const headRow = await db().auditEvent.findFirst({
    orderBy: { position: "desc" },
    select: { position: true, hash: true },
  });
  const head: ChainHead = { position: String(headRow?.position ?? 0n), hash: headRow?.hash ?? GENESIS_HASH };
  const headPosition = BigInt(head.position);
  const filters = Object.fromEntries(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
  );
  const header: ExportHeader = {
    record: "header",
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    filters,
    head,
  };

  // Walk the chain in windows of positions: each window is a primary-key range scan whatever the filters, so
  // the export stays linear and memory stays bounded by one window.
  async function* pages(): AsyncGenerator<ExportRecord[]> {
    yield [header];
    const digest = exportDigest();
    let count = 0;
    let first: string | null = null;
    let next = 1n; // the first position not yet accounted for
    for (let from = 0n; from < headPosition; from += WINDOW) {
      const to = from + WINDOW < headPosition ? from + WINDOW : headPosition;
      const rows = await db().auditEvent.findMany({
        where: { AND: [where, { position: { gt: from, lte: to } }] },
        orderBy: { position: "asc" },
      });
      const page: ExportRecord[] = [];
      for (const e of rows) {
        // A gap before a matching event: its prevHash is the hash at the end of the gap.
        if (e.position > next)
          page.push({ record: "skipped", from: String(next), to: String(e.position - 1n), hash: e.prevHash });
        const row = auditEventView(e);
        page.push(row);
        digest.add(row.position, row.hash);
        first ??= row.position;
        count++;
        next = e.position + 1n;
      }
      if (page.length) yield page;
    }
    const tail: ExportRecord[] = [];
    if (next <= headPosition) tail.push({ record: "skipped", from: String(next), to: head.position, hash: head.hash });
    tail.push({
      record: "trailer",
      count,
      firstPosition: first,
      lastPosition: count ? String(next - 1n) : null,
      digest: digest.hex(),
      head,
    });
    yield tail;
  }
  return { format, head, pages: pages() };
}
