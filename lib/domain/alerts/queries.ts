import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, readableTeamIds, type UserActor } from "../actor";

/** Alerts on budgets the person may see (a team lead: their teams' and the organisation's). */
function visibleWhere(actor: Actor): Prisma.BudgetAlertWhereInput {
  const teams = readableTeamIds(actor);
  return teams
    ? { budget: { OR: [{ scope: "org" }, { teamId: { in: teams } }, { agent: { teamId: { in: teams } } }] } }
    : {};
}

async function readAt(actor: UserActor) {
  return (
    (await db().user.findUnique({ where: { id: actor.id }, select: { alertsReadAt: true } }))?.alertsReadAt ?? null
  );
}

export async function unreadAlertCount(actor: UserActor): Promise<number> {
  const since = await readAt(actor);
  return db().budgetAlert.count({ where: { AND: [visibleWhere(actor), since ? { createdAt: { gt: since } } : {}] } });
}

export async function listAlerts(actor: UserActor, limit = 50) {
  const since = await readAt(actor);
  const rows = await db().budgetAlert.findMany({
    where: visibleWhere(actor),
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { budget: { select: { id: true, name: true, scope: true } } },
  });
  return rows.map((a) => ({ ...a, unread: !since || a.createdAt > since }));
}
