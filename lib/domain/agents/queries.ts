import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, readableTeamIds } from "../actor";
import { type AgentBudgetStatus, budgetStatusByAgent } from "../budgets/queries";
import { CursorKeySchema, decodeCursor, encodeCursor } from "../cursor";
import { notFound } from "../errors";
import { escapeLike } from "../text";
import { type AgentSort, type ListAgentsQuery, ListAgentsQuerySchema } from "./schemas";

export function scopeWhere(actor: Actor): Prisma.AgentWhereInput {
  const teams = readableTeamIds(actor);
  return teams ? { teamId: { in: teams } } : {};
}

export function monthStartUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

const listInclude = {
  team: { select: { id: true, slug: true, name: true } },
  owner: { select: { id: true, name: true, email: true } },
  deployedVersion: { select: { number: true, model: true } },
  budgets: { where: { archivedAt: null, scope: "agent" }, select: { id: true, limitMicros: true, period: true } },
} as const;

/** Sorting by a computed column reads at most this many matching agents (an organisation runs dozens). */
const SORT_SCAN = 2000;

type Listed = Prisma.AgentGetPayload<{ include: typeof listInclude }> & {
  spendThisMonthMicros: bigint;
  unpricedCallsThisMonth: number;
  budgetStatus: AgentBudgetStatus | null;
};
const SORT_KEYS: Record<Exclude<AgentSort, "name">, (a: Listed) => string | number | bigint> = {
  team: (a) => a.team.name.toLowerCase(),
  status: (a) => a.status,
  // No budget sorts below any budget, so "most used first" leads with the agents at risk.
  used: (a) => a.budgetStatus?.percentUsed ?? -1,
  spend: (a) => a.spendThisMonthMicros,
  activity: (a) => a.lastActivityAt?.getTime() ?? 0,
};
const cmp = (x: string | number | bigint, y: string | number | bigint) => (x < y ? -1 : x > y ? 1 : 0);

/** The cursor of the list by name: the last agent's name and slug (names repeat; slugs do not). */
const NameCursorSchema = z.tuple([CursorKeySchema, CursorKeySchema]);

/**
 * Agents the actor may see, with this month's spend and their tightest budget's status. By name: keyset-paginated
 * by (name, slug) in the database. By another column (computed from spend and budgets): the matching agents are
 * read, sorted with the slug breaking ties, and the cursor is the last slug shown.
 */
export async function listAgents(actor: Actor, rawQuery: ListAgentsQuery, now = new Date()) {
  const query = ListAgentsQuerySchema.parse(rawQuery);
  const byName = query.sort === "name";
  const afterName = byName ? decodeCursor(query.cursor, NameCursorSchema) : null;
  const after = byName ? null : decodeCursor(query.cursor, CursorKeySchema);
  const beyond = query.dir === "desc" ? "lt" : "gt";
  const where: Prisma.AgentWhereInput = {
    AND: [
      scopeWhere(actor),
      query.teamId ? { teamId: query.teamId } : {},
      query.environment ? { environment: query.environment } : {},
      query.status ? { status: query.status } : {},
      query.q
        ? {
            OR: (["name", "slug", "description"] as const).map((field) => ({
              [field]: { contains: escapeLike(query.q!), mode: "insensitive" },
            })),
          }
        : {},
      afterName
        ? {
            OR: [{ name: { [beyond]: afterName[0] } }, { name: afterName[0], slug: { [beyond]: afterName[1] } }],
          }
        : {},
    ],
  };
  const rows = await db().agent.findMany({
    where,
    orderBy: byName ? [{ name: query.dir }, { slug: query.dir }] : { slug: "asc" },
    take: byName ? query.limit + 1 : SORT_SCAN,
    include: listInclude,
  });
  const read = byName ? rows.slice(0, query.limit) : rows;
  const [spend, statuses] = await Promise.all([
    monthSpendByAgent(
      read.map((a) => a.id),
      now,
    ),
    budgetStatusByAgent(actor, read, now),
  ]);
  let items: Listed[] = read.map((a) => ({
    ...a,
    spendThisMonthMicros: spend.get(a.id)?.cost ?? 0n,
    unpricedCallsThisMonth: spend.get(a.id)?.unpriced ?? 0,
    budgetStatus: statuses.get(a.id) ?? null,
  }));
  let more = rows.length > query.limit;
  if (!byName) {
    const key = SORT_KEYS[query.sort as Exclude<AgentSort, "name">];
    const sign = query.dir === "desc" ? -1 : 1;
    items.sort((a, b) => sign * cmp(key(a), key(b)) || cmp(a.slug, b.slug));
    const from = after ? items.findIndex((a) => a.slug === after) + 1 : 0;
    more = items.length > from + query.limit;
    items = items.slice(from, from + query.limit);
  }
  const last = items.at(-1);
  return {
    items,
    nextCursor: more && last ? encodeCursor(byName ? [last.name, last.slug] : last.slug) : null,
  };
}

/** Spend and unpriced calls this calendar month (UTC) per agent, from the hourly rollups. */
export async function monthSpendByAgent(agentIds: string[], now = new Date()) {
  if (agentIds.length === 0) return new Map<string, { cost: bigint; unpriced: number }>();
  const sums = await db().usageRollupHourly.groupBy({
    by: ["agentId"],
    where: { agentId: { in: agentIds }, hour: { gte: monthStartUtc(now) } },
    _sum: { costMicros: true, unpricedCalls: true },
  });
  return new Map(sums.map((s) => [s.agentId, { cost: s._sum.costMicros ?? 0n, unpriced: s._sum.unpricedCalls ?? 0 }]));
}

/** One agent by id or slug, if the actor may see it. */
export async function getAgent(actor: Actor, idOrSlug: string) {
  const agent = await db().agent.findFirst({
    where: { AND: [scopeWhere(actor), { OR: [{ id: idOrSlug }, { slug: idOrSlug }] }] },
    include: {
      team: { select: { id: true, slug: true, name: true } },
      owner: { select: { id: true, name: true, email: true } },
      deployedVersion: true,
    },
  });
  if (!agent) throw notFound("Agent");
  return agent;
}

/** The overview of an agent already read with getAgent: this month's spend, and how many versions and rules it has. */
export async function agentSummary(agent: { id: string }) {
  const [spend, versionCount, ruleCount] = await Promise.all([
    monthSpendByAgent([agent.id]),
    db().agentVersion.count({ where: { agentId: agent.id } }),
    db().permissionRule.count({ where: { agentId: agent.id } }),
  ]);
  return {
    versionCount,
    ruleCount,
    spendThisMonthMicros: spend.get(agent.id)?.cost ?? 0n,
    unpricedCallsThisMonth: spend.get(agent.id)?.unpriced ?? 0,
  };
}

export async function listTeams(actor: Actor) {
  const teams = readableTeamIds(actor);
  return db().team.findMany({ where: teams ? { id: { in: teams } } : {}, orderBy: { name: "asc" } });
}

export function listAgentOptions(actor: Actor) {
  return db().agent.findMany({ where: scopeWhere(actor), orderBy: { slug: "asc" }, select: { id: true, slug: true } });
}

export async function listPeople() {
  return db().user.findMany({
    where: { disabledAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true, role: true },
  });
}

/** One version of an agent the actor may see, with the live version for comparison. */
export async function getAgentVersion(actor: Actor, idOrSlug: string, number: number) {
  const agent = await getAgent(actor, idOrSlug);
  const version = await db().agentVersion.findUnique({
    where: { agentId_number: { agentId: agent.id, number } },
    include: { createdBy: { select: { name: true } } },
  });
  if (!version) throw notFound(`Version ${number}`);
  return { agent, version, live: agent.deployedVersion };
}
