import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { runEvery } from "@/lib/periodic";
import { type Actor, readableTeamIds } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { type PeriodZone, periodEnd, periodStart } from "../budgets/periods";
import { microsToUsd } from "../money";
import { cappedMicros } from "../money-sql";
import { orgPeriodZone } from "../settings/queries";
import { enqueueWebhookEvent } from "../webhooks/enqueue-webhook-event";
import { LATEST_REPORT_FIRST } from "./latest";

const PERIOD_WORD = { day: "today", week: "this week", month: "this month" } as const;

type Objective = {
  id: string;
  name: string;
  unit: string;
  maxCostPerSuccessMicros: bigint;
  costPeriod: "day" | "week" | "month";
};

/**
 * A budget per outcome: after an agent reports outcomes of types with a maximum cost per success, each such type's
 * running period is judged for that agent — the cost of the tasks that reported it (each task once, as its latest
 * report says, and its whole usage) over their successes. Over the maximum (or, before any success, a cost above one
 * success's allowance) raises one alert per (type, agent, period length and start), audited and sent to webhooks, in
 * the caller's transaction. Later reports in the same period add nothing.
 */
export async function checkOutcomeCosts(
  tx: Tx,
  agent: { id: string; slug: string; teamId: string },
  types: Objective[],
  now: Date,
  knownTimeZone?: PeriodZone,
): Promise<number> {
  if (!types.length) return 0;
  // Cut as budgets are (across changes of zone), so a change does not open a second period mid-day.
  const timeZone = knownTimeZone ?? (await orgPeriodZone(tx));
  let raised = 0;
  for (const t of types) {
    const start = periodStart(t.costPeriod, now, timeZone);
    const end = periodEnd(t.costPeriod, now, timeZone);
    // Concurrent reports of the agent judge one after the other, each seeing the other's outcomes; once raised, the
    // period is not judged again.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outcome-cost:${t.id}:${agent.id}`}))`;
    const raisedAlready = await tx.outcomeCostAlert.count({
      where: { outcomeTypeId: t.id, agentId: agent.id, period: t.costPeriod, periodStart: start },
    });
    if (raisedAlready) continue;
    const [{ successes, cost }] = await tx.$queryRaw<{ successes: number; cost: bigint }[]>`
      WITH o AS (
        SELECT DISTINCT ON ("taskId") "taskId", success FROM outcomes
        WHERE "agentId" = ${agent.id} AND "outcomeTypeId" = ${t.id}
          AND "timestamp" >= ${start}::timestamp(3) AND "timestamp" < ${end}::timestamp(3)
        ORDER BY "taskId", ${LATEST_REPORT_FIRST}
      )
      SELECT (count(*) FILTER (WHERE success))::int AS successes,
        ${cappedMicros(Prisma.sql`COALESCE((SELECT sum(u."costMicros") FROM usage_events u
          WHERE u."agentId" = ${agent.id} AND u."taskId" IN (SELECT "taskId" FROM o)), 0)`)} AS cost
      FROM o`;
    const limit = t.maxCostPerSuccessMicros;
    if (cost <= limit * BigInt(Math.max(successes, 1))) continue;
    const spent = `$${microsToUsd(cost).toFixed(2)}`;
    const message = successes
      ? `${agent.slug} spent $${(microsToUsd(cost) / successes).toFixed(4)} per ${t.unit} (${t.name}) ${PERIOD_WORD[t.costPeriod]}: ${spent} for ${successes} successful, over the $${microsToUsd(limit)} maximum`
      : `${agent.slug} spent ${spent} on ${t.name} ${PERIOD_WORD[t.costPeriod]} without a success, over the $${microsToUsd(limit)} maximum per ${t.unit}`;
    const [alert] = await tx.outcomeCostAlert.createManyAndReturn({
      data: [
        {
          outcomeTypeId: t.id,
          agentId: agent.id,
          period: t.costPeriod,
          periodStart: start,
          successes,
          costMicros: cost,
          limitMicros: limit,
          message,
        },
      ],
      skipDuplicates: true,
    });
    if (!alert) continue; // raised already this period
    raised++;
    await writeAuditEvent(
      tx,
      { type: "agent", id: agent.id, label: agent.slug, teamId: agent.teamId },
      {},
      {
        action: "outcome_type.cost_exceeded",
        targetType: "outcome_type",
        targetId: t.id,
        agentId: agent.id,
        teamId: agent.teamId,
        after: { periodStart: start, successes, costMicros: cost, limitMicros: limit },
        reason: message,
      },
    );
    await enqueueWebhookEvent(tx, "outcome.cost_exceeded", {
      alertId: alert.id,
      outcomeType: { id: t.id, name: t.name, unit: t.unit, period: t.costPeriod },
      agent: { id: agent.id, slug: agent.slug, teamId: agent.teamId },
      periodStart: start.toISOString(),
      successes,
      costUsd: microsToUsd(cost),
      maxCostPerSuccessUsd: microsToUsd(limit),
      message,
    });
  }
  return raised;
}

/**
 * The budget per outcome for usage that arrives after its task's outcome was reported (a report judges only what has
 * arrived by then): each type with a maximum cost per success is judged again over its running period, for every agent
 * that reported it in that period and has no alert for it yet. Returns the alerts raised.
 */
export async function sweepOutcomeCosts(now = new Date()): Promise<number> {
  const types = await db().outcomeType.findMany({
    where: { archivedAt: null, maxCostPerSuccessMicros: { not: null } },
    select: { id: true, name: true, unit: true, maxCostPerSuccessMicros: true, costPeriod: true },
  });
  if (!types.length) return 0;
  const timeZone = await orgPeriodZone();
  let raised = 0;
  for (const t of types) {
    const start = periodStart(t.costPeriod, now, timeZone);
    const agents = await db().agent.findMany({
      where: {
        outcomes: {
          some: { outcomeTypeId: t.id, timestamp: { gte: start, lt: periodEnd(t.costPeriod, now, timeZone) } },
        },
        outcomeCostAlerts: { none: { outcomeTypeId: t.id, period: t.costPeriod, periodStart: start } },
      },
      select: { id: true, slug: true, teamId: true },
    });
    const objective = { ...t, maxCostPerSuccessMicros: t.maxCostPerSuccessMicros as bigint };
    for (const agent of agents)
      raised += await inTransaction((tx) => checkOutcomeCosts(tx, agent, [objective], now, timeZone));
  }
  return raised;
}

/** Sweeps every OUTCOME_COST_SWEEP_MS (default 60 s), in the server process (an alert is raised once whoever sweeps). */
export function startOutcomeCostSweep(intervalMs = Number(process.env.OUTCOME_COST_SWEEP_MS) || 60_000) {
  runEvery("outcome cost sweep", intervalMs, sweepOutcomeCosts);
}

/** The latest cost alerts on agents the person may see (a team lead: their teams' agents'). */
export async function listOutcomeCostAlerts(actor: Actor, limit = 20) {
  const teams = readableTeamIds(actor);
  const rows = await db().outcomeCostAlert.findMany({
    where: teams ? { agent: { teamId: { in: teams } } } : {},
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { agent: { select: { slug: true } }, outcomeType: { select: { name: true } } },
  });
  return rows.map((a) => ({
    id: a.id,
    agentSlug: a.agent.slug,
    type: a.outcomeType.name,
    periodStart: a.periodStart.toISOString(),
    successes: a.successes,
    costUsd: microsToUsd(a.costMicros),
    maxCostPerSuccessUsd: microsToUsd(a.limitMicros),
    message: a.message,
    createdAt: a.createdAt.toISOString(),
  }));
}
