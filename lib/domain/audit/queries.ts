import { db } from "@/lib/db/client";
import { forbidden } from "../errors";
import type { Actor } from "../actor";
import { decodeCursor, encodeCursor } from "../cursor";

export function canReadAudit(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "user" && (actor.role === "admin" || actor.role === "auditor"));
}

export function requireAuditReader(actor: Actor) {
  if (!canReadAudit(actor)) throw forbidden("Only admins and auditors can read the audit trail");
}

/** Newest first, keyset-paginated by position (stays fast deep into the history). */
export async function listAuditEvents(actor: Actor, opts: { cursor?: string | null; limit?: number; agentId?: string; action?: string }) {
  requireAuditReader(actor);
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const before = decodeCursor<string>(opts.cursor);
  const rows = await db().auditEvent.findMany({
    where: {
      ...(before ? { position: { lt: BigInt(before) } } : {}),
      ...(opts.agentId ? { agentId: opts.agentId } : {}),
      ...(opts.action ? { action: opts.action } : {}),
    },
    orderBy: { position: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { items: page, nextCursor: rows.length > limit ? encodeCursor(String(page[page.length - 1].position)) : null };
}
