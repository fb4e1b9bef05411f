import "server-only";
import { withReader } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, isAdminOrAuditor } from "../actor";
import { decodeCursor, encodeCursor, PositionCursorSchema } from "../cursor";
import { forbidden, notFound } from "../errors";
import { escapeLike } from "../text";
import { SIGN_IN_ACTIONS } from "./actions";
import { resolveAuditLabels } from "./labels";
import { type AuditEventLabels, type AuditFilter, AuditListQuerySchema } from "./schemas";
import { auditEventView } from "./view";

export const canReadAudit = isAdminOrAuditor;

export function requireAuditReader(actor: Actor) {
  if (!canReadAudit(actor)) throw forbidden("Only admins and auditors can read the audit trail");
}

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    AND: [
      f.from ? { occurredAt: { gte: f.from } } : {},
      f.to ? { occurredAt: { lt: f.to } } : {},
      f.actor
        ? { OR: [{ actorId: f.actor }, { actorLabel: { contains: escapeLike(f.actor), mode: "insensitive" } }] }
        : {},
      f.action ? { action: f.action.endsWith(".") ? { startsWith: escapeLike(f.action) } : f.action } : {},
      f.targetType ? { targetType: f.targetType } : {},
      f.targetId ? { targetId: f.targetId } : {},
      f.teamId ? { teamId: f.teamId } : {},
      f.agentId ? { agentId: f.agentId } : {},
      f.outcome ? { outcome: f.outcome } : {},
      f.q ? { reason: { contains: escapeLike(f.q), mode: "insensitive" } } : {},
      f.excludeSignIns ? { action: { notIn: [...SIGN_IN_ACTIONS] } } : {},
    ],
  };
}

/**
 * Newest first, keyset-paginated by position (stays fast deep into the history). Items are the hashed object as
 * it was hashed (position a decimal string, occurredAt the exact ISO string) plus `hash`, so a client can
 * recompute each item's hash from the item as returned. Readable names ride beside the items in `labels`, keyed by
 * position, resolved now for the whole page.
 */
export async function listAuditEvents(actor: Actor, raw: Record<string, unknown>) {
  requireAuditReader(actor);
  const { cursor, limit, ...filter } = AuditListQuerySchema.parse(raw);
  const before = decodeCursor(cursor, PositionCursorSchema);
  const rows = await withReader((reader) =>
    reader.auditEvent.findMany({
      where: { AND: [auditWhere(filter), before ? { position: { lt: BigInt(before) } } : {}] },
      orderBy: { position: "desc" },
      take: limit + 1,
    }),
  );
  const page = rows.slice(0, limit);
  const items = page.map(auditEventView);
  return {
    items,
    labels: await resolveAuditLabels(items),
    nextCursor: rows.length > limit ? encodeCursor(String(page[page.length - 1].position)) : null,
  };
}

export async function getAuditEvent(actor: Actor, position: string) {
  requireAuditReader(actor);
  if (!/^\d{1,18}$/.test(position)) throw notFound("Audit event");
  const event = await withReader((reader) => reader.auditEvent.findUnique({ where: { position: BigInt(position) } }));
  if (!event) throw notFound("Audit event");
  return auditEventView(event);
}

/** The labels of one event (the console's detail panel), for audit readers only. */
export async function auditEventLabels(
  actor: Actor,
  event: Parameters<typeof resolveAuditLabels>[0][number],
): Promise<AuditEventLabels> {
  requireAuditReader(actor);
  return (await resolveAuditLabels([event]))[event.position];
}
