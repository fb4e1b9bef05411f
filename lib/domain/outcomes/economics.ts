import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { cappedMicros, sumMicros } from "../money-sql";
import { LATEST_REPORT_FIRST } from "./latest";
import { type Economics, EconomicsQuerySchema } from "./schemas";

/**
 * What an agent achieved per dollar over a period: for each outcome type it reported, the tasks that reported it (each
 * once, as its latest report says: a repeated report cannot add successes), successes and success rate; the usage cost of the tasks that reported it (every usage event naming one of those task ids, whenever
 * it ran, so a task's cost is exact), and that cost per successful outcome (failed tasks' cost is part of the price of
 * the successes); the value of the successful outcomes and value per dollar when the type carries value. Beside them,
 * the agent's whole usage cost in the period and how much of it named a task (a task's cost is its whole cost, whenever
 * it ran, and a task reporting two types counts in both). With `version`, only the outcomes reported for that version
 * (and its tasks' whole cost), and the usage reported for it.
 */
export async function agentEconomics(actor: Actor, agentIdOrSlug: string, raw: unknown = {}): Promise<Economics> {
  const { from, to, version } = EconomicsQuerySchema.parse(raw);
  const onVersion = version === null ? Prisma.empty : Prisma.sql`AND "versionNumber" = ${version}`;
  // A task's latest report decides, then its version: a failure on v1 retried successfully on v2 counts for v2 only.
  const latestOnVersion = version === null ? Prisma.empty : Prisma.sql`WHERE "versionNumber" = ${version}`;
  const agent = await getAgent(actor, agentIdOrSlug);
  const rows = await db().$queryRaw<
    {
      type: string;
      unit: string;
      outcomes: number;
      successes: number;
      tasksWithoutUsage: number;
      value: number | null;
      hasValue: boolean;
      cost: number;
    }[]
  >`
    WITH o AS (
      -- A task counts once per type, as its latest report says (a retry or a repeat report cannot add successes).
      SELECT * FROM (
        SELECT DISTINCT ON ("outcomeTypeId", "taskId") "outcomeTypeId", "taskId", success, "valueMicros", "versionNumber"
        FROM outcomes
        WHERE "agentId" = ${agent.id} AND "timestamp" >= ${from}::timestamp(3) AND "timestamp" < ${to}::timestamp(3)
        ORDER BY "outcomeTypeId", "taskId", ${LATEST_REPORT_FIRST}
      ) latest ${latestOnVersion}
    ), cost AS (
      SELECT o."outcomeTypeId", o."taskId", sum(u."costMicros") AS cost
      FROM o JOIN usage_events u ON u."agentId" = ${agent.id} AND u."taskId" = o."taskId"
      GROUP BY 1, 2
    )
    SELECT ot.name AS type, ot.unit, ot."hasValue", count(*)::int AS outcomes,
           count(*) FILTER (WHERE o.success)::int AS successes,
           count(*) FILTER (WHERE c.cost IS NULL)::int AS "tasksWithoutUsage",
           (sum(o."valueMicros") FILTER (WHERE o.success))::float8 AS value,
           COALESCE(sum(c.cost), 0)::float8 AS cost
    FROM o JOIN outcome_types ot ON ot.id = o."outcomeTypeId"
    LEFT JOIN cost c ON c."outcomeTypeId" = o."outcomeTypeId" AND c."taskId" = o."taskId"
    GROUP BY ot.name, ot.unit, ot."hasValue"
    ORDER BY ot.name`;
  const [usage] = await db().$queryRaw<{ cost: bigint; task: bigint }[]>`
    SELECT ${sumMicros(Prisma.sql`"costMicros"`)} AS cost,
           ${cappedMicros(Prisma.sql`COALESCE(sum("costMicros") FILTER (WHERE "taskId" IS NOT NULL), 0)`)} AS task
    FROM usage_events
    WHERE "agentId" = ${agent.id} AND "timestamp" >= ${from}::timestamp(3) AND "timestamp" < ${to}::timestamp(3)
      ${onVersion}`;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    version,
    types: rows.map((r) => {
      const cost = Number(r.cost);
      const value = r.hasValue ? Number(r.value ?? 0) : null;
      return {
        type: r.type,
        unit: r.unit,
        outcomes: r.outcomes,
        successes: r.successes,
        tasksWithoutUsage: r.tasksWithoutUsage,
        successRate: r.outcomes ? r.successes / r.outcomes : null,
        costMicros: cost,
        costPerSuccessMicros: r.successes ? cost / r.successes : null,
        valueMicros: value,
        valuePerDollar: value !== null && cost > 0 ? value / cost : null,
      };
    }),
    usage: { costMicros: Number(usage.cost), taskCostMicros: Number(usage.task) },
  };
}
