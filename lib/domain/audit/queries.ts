import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { forbidden, notFound } from "../errors";
import type { Actor } from "../actor";
import { decodeCursor, encodeCursor } from "../cursor";
import { AuditListQuerySchema, type AuditFilter } from "./schemas";

export function canReadAudit(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "user" && (actor.role === "admin" || actor.role === "auditor"));
}

export function requireAuditReader(actor: Actor) {
  if (!canReadAudit(actor)) throw forbidden("Only admins and auditors can read the audit trail");
}

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    AND: [
      f.from ? { occurredAt: { gte: f.from } } : {},
      f.to ? { occurredAt: { lt: f.to } } : {},
      f.actor ? { OR: [{ actorId: f.actor }, { actorLabel: { contains: f.actor, mode: "insensitive" } }] } : {},
      f.action ? { action: { startsWith: f.action } } : {},
      f.targetType ? { targetType: f.targetType } : {},
      f.targetId ? { targetId: f.targetId } : {},
      f.teamId ? { teamId: f.teamId } : {},
      f.agentId ? { agentId: f.agentId } : {},
      f.outcome ? { outcome: f.outcome } : {},
      f.q ? { reason: { contains: f.q, mode: "insensitive" } } : {},
    ],
  };
}

/** Newest first, keyset-paginated by position (stays fast deep into the history). */
export async function listAuditEvents(actor: Actor, raw: Record<string, unknown>) {
  requireAuditReader(actor);
  const { cursor, limit, ...filter } = AuditListQuerySchema.parse(raw);
  const before = decodeCursor<string>(cursor);
  const rows = await db().auditEvent.findMany({
    where: { AND: [auditWhere(filter), before ? { position: { lt: BigInt(before) } } : {}] },
    orderBy: { position: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { items: page, nextCursor: rows.length > limit ? encodeCursor(String(page[page.length - 1].position)) : null };
}

export async function getAuditEvent(actor: Actor, position: string) {
  requireAuditReader(actor);
  if (!/^\d{1,18}$/.test(position)) throw notFound("Audit event");
  const event = await db().auditEvent.findUnique({ where: { position: BigInt(position) } });
  if (!event) throw notFound("Audit event");
  return event;
}
