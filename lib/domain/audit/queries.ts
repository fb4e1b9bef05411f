import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, isAdminOrAuditor } from "../actor";
import { decodeCursor, encodeCursor, PositionCursorSchema } from "../cursor";
import { forbidden, notFound } from "../errors";
import { escapeLike } from "../text";
import { type AuditFilter, AuditListQuerySchema } from "./schemas";
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
    ],
  };
}

/**
 * Newest first, keyset-paginated by position (stays fast deep into the history). Items are the hashed object as
 * it was hashed (position a decimal string, occurredAt the exact ISO string) plus `hash`, so a client can
 * recompute each item's hash from the item as returned.
 */
export async function listAuditEvents(actor: Actor, raw: Record<string, unknown>) {
  requireAuditReader(actor);
  const { cursor, limit, ...filter } = AuditListQuerySchema.parse(raw);
  const before = decodeCursor(cursor, PositionCursorSchema);
  const rows = await db().auditEvent.findMany({
    where: { AND: [auditWhere(filter), before ? { position: { lt: BigInt(before) } } : {}] },
    orderBy: { position: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(auditEventView),
    nextCursor: rows.length > limit ? encodeCursor(String(page[page.length - 1].position)) : null,
  };
}

export async function getAuditEvent(actor: Actor, position: string) {
  requireAuditReader(actor);
  if (!/^\d{1,18}$/.test(position)) throw notFound("Audit event");
  const event = await db().auditEvent.findUnique({ where: { position: BigInt(position) } });
  if (!event) throw notFound("Audit event");
  return auditEventView(event);
}

/**
 * Readable names for the targets of a page of events (agent slug, person's e-mail, team and budget name),
 * keyed by target id; targets that no longer exist keep their id. One small query per kind.
 */
export async function auditTargetLabels(
  events: { targetType: string; targetId: string | null }[],
): Promise<Map<string, string>> {
  const ids = (type: string) => [
    ...new Set(events.filter((e) => e.targetType === type && e.targetId).map((e) => e.targetId!)),
  ];
  const where = (type: string) => ({ where: { id: { in: ids(type) } } });
  const [agents, users, teams, budgets, versions, keys] = await Promise.all([
    ids("agent").length ? db().agent.findMany({ ...where("agent"), select: { id: true, slug: true } }) : [],
    ids("user").length ? db().user.findMany({ ...where("user"), select: { id: true, email: true } }) : [],
    ids("team").length ? db().team.findMany({ ...where("team"), select: { id: true, name: true } }) : [],
    ids("budget").length ? db().budget.findMany({ ...where("budget"), select: { id: true, name: true } }) : [],
    ids("agent_version").length
      ? db().agentVersion.findMany({
          ...where("agent_version"),
          select: { id: true, number: true, agent: { select: { slug: true } } },
        })
      : [],
    ids("agent_key").length
      ? db().agentKey.findMany({
          ...where("agent_key"),
          select: { id: true, name: true, agent: { select: { slug: true } } },
        })
      : [],
  ]);
  return new Map<string, string>([
    ...agents.map((a) => [a.id, a.slug] as [string, string]),
    ...users.map((u) => [u.id, u.email] as [string, string]),
    ...teams.map((t) => [t.id, t.name] as [string, string]),
    ...budgets.map((b) => [b.id, b.name] as [string, string]),
    ...versions.map((v) => [v.id, `${v.agent.slug} v${v.number}`] as [string, string]),
    ...keys.map((k) => [k.id, `${k.agent.slug} · ${k.name}`] as [string, string]),
  ]);
}
