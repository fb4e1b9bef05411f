import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, readableTeamIds } from "../actor";
import { notFound } from "../errors";
import { orgTimeZone } from "../settings/queries";
import { canManageBudget } from "./access";
import { type BudgetRow, readPeriodUsage } from "./ledger";
import { type ListBudgetsQuery, ListBudgetsQuerySchema } from "./schemas";

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
  const timeZone = await orgTimeZone();
  return Promise.all(
    budgets.map(async (b) => {
      const usage = await readPeriodUsage(db(), { ...(b as unknown as BudgetRow), timeZone }, now);
      const teamId = b.teamId ?? b.agent?.teamId ?? null;
      const remainingMicros = b.limitMicros - usage.spentMicros - usage.reservedMicros;
      return {
        ...b,
        ...usage,
        timeZone,
        remainingMicros: remainingMicros > 0n ? remainingMicros : 0n,
        percentUsed: Number((usage.spentMicros * 10_000n) / b.limitMicros) / 100,
        canManage: !b.archivedAt && canManageBudget(actor, { scope: b.scope, teamId }),
      };
    }),
  );
}

/** Budgets with this period's spent, reserved, remaining, % used and reset time. Few rows: not paginated. */
export async function listBudgets(actor: Actor, raw: ListBudgetsQuery = {}, now = new Date()) {
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
    orderBy: [{ scope: "desc" }, { name: "asc" }],
    take: 500,
  });
  return withUsage(actor, budgets, now);
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
  const alerts = await db().budgetAlert.findMany({ where: { budgetId: id }, orderBy: { createdAt: "desc" }, take: 50 });
  return { ...withU, alerts };
}

export type BudgetView = Awaited<ReturnType<typeof listBudgets>>[number];
