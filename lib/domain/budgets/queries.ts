import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, canSeeTeam, readableTeamIds } from "../actor";
import { decodeCursor, encodeCursor } from "../cursor";
import { notFound } from "../errors";
import { orgPeriodZone, orgZones } from "../settings/queries";
import { canManageBudget } from "./access";
import { type BudgetRow, readPeriodHistory, readPeriodUsages, readUnpricedCalls } from "./ledger";
import {
  type BudgetHistoryQuery,
  BudgetHistoryQuerySchema,
  type BudgetSort,
  type ListBudgetsQuery,
  ListBudgetsQuerySchema,
} from "./schemas";
import { budgetStatus, percentOfLimit, tightestBudget } from "./status";

/** Budgets the actor may read: all for admins, auditors and viewers; for team leads their teams' and the organisation's. */
function visibleWhere(actor: Actor): Prisma.BudgetWhereInput {
  const teams = readableTeamIds(actor);
  return teams ? { OR: [{ scope: "org" }, { teamId: { in: teams } }, { agent: { teamId: { in: teams } } }] } : {};
}

const include = {
  team: { select: { id: true, name: true, slug: true } },
  agent: { select: { id: true, name: true, slug: true, teamId: true } },
} as const;

async function withUsage<B extends Prisma.BudgetGetPayload<{ include: typeof include }>>(
  actor: Actor,
  budgets: B[],
  now: Date,
) {
  const { timeZone, periodZone } = await orgZones();
  const rows = budgets.map((b) => ({ ...(b as unknown as BudgetRow), timeZone: periodZone }));
  const [usage, unpriced] = await Promise.all([readPeriodUsages(db(), rows, now), readUnpricedCalls(db(), rows, now)]);
  return budgets.map((b) => {
    const u = usage.get(b.id)!;
    const teamId = b.teamId ?? b.agent?.teamId ?? null;
    const remainingMicros = b.limitMicros - u.spentMicros - u.reservedMicros;
    return {
      ...b,
      ...u,
      // Calls of the period with no price for their model: the spend counts each at its estimate when it had one,
      // else at nothing, so it can be short by their real cost.
      unpricedCalls: Number(unpriced.get(b.id) ?? 0n),
      timeZone,
      remainingMicros: remainingMicros > 0n ? remainingMicros : 0n,
      percentUsed: percentOfLimit(u.spentMicros, b.limitMicros),
      status: budgetStatus(u.spentMicros, b.limitMicros),
      canManage: !b.archivedAt && canManageBudget(actor, { scope: b.scope, teamId }),
    };
  });
}

type WithUsage = Awaited<ReturnType<typeof withUsage>>[number];
const cmp = (x: bigint | number | string, y: bigint | number | string) => (x < y ? -1 : x > y ? 1 : 0);
const SORT_KEYS: Record<BudgetSort, (b: WithUsage) => bigint | number | string> = {
  name: (b) => b.name.toLowerCase(),
  period: (b) => ["day", "week", "month"].indexOf(b.period),
  used: (b) => b.percentUsed,
  spent: (b) => b.spentMicros,
  limit: (b) => b.limitMicros,
  remaining: (b) => b.remainingMicros,
};

/** Sorts budgets by one column (ties by name), for the console's sortable table and the API alike. */
function sortBudgets(budgets: WithUsage[], sort: BudgetSort, dir: "asc" | "desc") {
  const key = SORT_KEYS[sort];
  const sign = dir === "desc" ? -1 : 1;
  return [...budgets].sort((a, b) => sign * cmp(key(a), key(b)) || cmp(a.name, b.name) || cmp(a.id, b.id));
}

/**
 * Every budget the actor may see that matches the filters, with this period's spent, reserved, remaining, % used and
 * reset time (one read for the usage of all of them), sorted. Views over all budgets (burn) read this.
 */
export async function allBudgets(actor: Actor, raw: ListBudgetsQuery = {}, now = new Date()) {
  const q = ListBudgetsQuerySchema.parse(raw);
  const budgets = await db().budget.findMany({
    where: {
      AND: [
        visibleWhere(actor),
        q.scope ? { scope: q.scope } : {},
        q.teamId ? { OR: [{ teamId: q.teamId }, { agent: { teamId: q.teamId } }] } : {},
        q.agentId ? { agentId: q.agentId } : {},
        q.archived === "true" ? { archivedAt: { not: null } } : { archivedAt: null },
      ],
    },
    include,
    orderBy: [{ scope: "desc" }, { name: "asc" }, { id: "asc" }],
  });
  const rows = await withUsage(actor, budgets, now);
  return q.sort ? sortBudgets(rows, q.sort, q.dir ?? "asc") : rows;
}

/**
 * One page of `allBudgets`: `limit` rows from the cursor, and the cursor of the next page (null on the last). Sorts
 * by spend change as spend comes in, so the cursor is a position in the sorted list rather than a row's key.
 */
export async function listBudgets(actor: Actor, raw: ListBudgetsQuery = {}, now = new Date()) {
  const q = ListBudgetsQuerySchema.parse(raw);
  const [offset] = decodeCursor(q.cursor, z.tuple([z.number().int().min(0).max(1_000_000)])) ?? [0];
  const rows = await allBudgets(actor, q, now);
  const items = rows.slice(offset, offset + q.limit);
  const next = offset + q.limit;
  return { items, nextCursor: next < rows.length ? encodeCursor([next]) : null };
}

/** The live budgets covering one agent (its own, its team's, the organisation's). */
export async function budgetsCoveringAgent(actor: Actor, agent: { id: string; teamId: string }, now = new Date()) {
  const budgets = await db().budget.findMany({
    where: {
      archivedAt: null,
      OR: [{ scope: "agent", agentId: agent.id }, { scope: "team", teamId: agent.teamId }, { scope: "org" }],
    },
    include,
    orderBy: [{ scope: "asc" }, { name: "asc" }],
  });
  return withUsage(actor, budgets, now);
}

export async function getBudget(actor: Actor, id: string, now = new Date()) {
  const b = await db().budget.findFirst({ where: { AND: [{ id }, visibleWhere(actor)] }, include });
  if (!b) throw notFound("Budget");
  const [withU] = await withUsage(actor, [b], now);
  // Newest first; alerts raised by one batch share a time, so the higher threshold (crossed last) comes first.
  const alerts = await db().budgetAlert.findMany({
    where: { budgetId: id },
    orderBy: [{ createdAt: "desc" }, { threshold: "desc" }],
    take: 50,
  });
  return {
    ...withU,
    alerts: alerts.map((a) => ({ ...a, percentUsed: percentOfLimit(a.spentMicros, a.limitMicros) })),
  };
}

/** How many periods the history shows by default: two weeks of days, about three months of weeks, a year of months. */
const HISTORY_PERIODS = { day: 14, week: 12, month: 12 } as const;

/** A budget's spend in each of its last periods (the current one last) against its limit, empty periods as zero. */
export async function budgetHistory(actor: Actor, id: string, raw: BudgetHistoryQuery = {}, now = new Date()) {
  const q = BudgetHistoryQuerySchema.parse(raw);
  const b = await db().budget.findFirst({ where: { AND: [{ id }, visibleWhere(actor)] } });
  if (!b) throw notFound("Budget");
  const { timeZone, periodZone } = await orgZones();
  const periods = await readPeriodHistory(
    db(),
    { ...b, timeZone: periodZone },
    q.periods ?? HISTORY_PERIODS[b.period],
    now,
  );
  return {
    budgetId: b.id,
    period: b.period,
    timeZone,
    limitMicros: b.limitMicros,
    periods: periods.map((p) => ({
      ...p,
      percentUsed: percentOfLimit(p.spentMicros, b.limitMicros),
      status: budgetStatus(p.spentMicros, b.limitMicros),
      // A period that ended before the budget was created: the budget was not in force then, so its status only
      // compares the scope's spend with the current limit.
      beforeBudget: p.periodEnd.getTime() <= b.createdAt.getTime(),
    })),
  };
}

/**
 * Each agent's tightest budget this period (the largest share of its limit spent) among the live budgets covering
 * it: its own, its team's and the organisation's. A fixed number of queries for any number of agents; agents the
 * actor may not see are left out. Agents no budget covers are absent from the map.
 */
export async function budgetStatusByAgent(actor: Actor, agents: { id: string; teamId: string }[], now = new Date()) {
  const visible = agents.filter((a) => canSeeTeam(actor, a.teamId));
  const out = new Map<string, AgentBudgetStatus>();
  if (visible.length === 0) return out;
  const [budgets, periodZone] = await Promise.all([
    db().budget.findMany({
      where: {
        archivedAt: null,
        OR: [
          { scope: "agent", agentId: { in: visible.map((a) => a.id) } },
          { scope: "team", teamId: { in: [...new Set(visible.map((a) => a.teamId))] } },
          { scope: "org" },
        ],
      },
    }),
    orgPeriodZone(),
  ]);
  const usage = await readPeriodUsages(
    db(),
    budgets.map((b) => ({ ...b, timeZone: periodZone })),
    now,
  );
  const figures = budgets.map((b) => ({ ...b, spentMicros: usage.get(b.id)!.spentMicros }));
  for (const a of visible) {
    const t = tightestBudget(
      figures.filter((b) => b.scope === "org" || (b.scope === "team" ? b.teamId === a.teamId : b.agentId === a.id)),
    );
    if (!t) continue;
    out.set(a.id, {
      status: budgetStatus(t.spentMicros, t.limitMicros),
      percentUsed: percentOfLimit(t.spentMicros, t.limitMicros),
      budgetId: t.id,
      budgetName: t.name,
      scope: t.scope,
      period: t.period,
      spentMicros: t.spentMicros,
      limitMicros: t.limitMicros,
    });
  }
  return out;
}

export type AgentBudgetStatus = {
  status: ReturnType<typeof budgetStatus>;
  percentUsed: number;
  budgetId: string;
  budgetName: string;
  scope: "agent" | "team" | "org";
  period: "day" | "week" | "month";
  spentMicros: bigint;
  limitMicros: bigint;
};

export type BudgetView = Awaited<ReturnType<typeof allBudgets>>[number];
