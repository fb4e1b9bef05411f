import "server-only";
import { db } from "@/lib/db/client";
import { type Actor, readableTeamIds } from "../actor";

/** Teams the actor may see (a team lead: their own), with how many agents and people each has. */
export async function listTeamsWithCounts(actor: Actor) {
  const scope = readableTeamIds(actor);
  const rows = await db().team.findMany({
    where: scope ? { id: { in: scope } } : {},
    orderBy: { name: "asc" },
    include: { _count: { select: { agents: true, memberships: true } } },
  });
  return rows.map(({ _count, ...t }) => ({ ...t, agents: _count.agents, members: _count.memberships }));
}
