import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { type Economics, EconomicsQuerySchema } from "./schemas";

/**
 * What an agent achieved per dollar over a period: for each outcome type it reported, the outcomes, successes and
 * success rate; the usage cost of the tasks that reported it (every usage event naming one of those task ids, whenever
 * it ran, so a task's cost is exact), and that cost per successful outcome (failed tasks' cost is part of the price of
 * the successes); the value of the successful outcomes and value per dollar when the type carries value. Beside them,
 * the agent's whole usage cost in the period and how much of it named a task.
 */
export async function agentEconomics(actor: Actor, agentIdOrSlug: string, raw: unknown = {}): Promise<Economics> {
  const { from, to } = EconomicsQuerySchema.parse(raw);
  const agent = await getAgent(actor, agentIdOrSlug);
  const rows = await db().$queryRaw<
    {
      type: string;
      unit: string;
      outcomes: number;
      successes: number;
      value: bigint | null;
      hasValue: boolean;
      cost: bigint;
    }[]
  >`
    WITH o AS (
      SELECT "outcomeTypeId", "taskId", success, "valueMicros" FROM outcomes
      WHERE "agentId" = ${agent.id} AND "timestamp" >= ${from}::timestamp(3) AND "timestamp" < ${to}::timestamp(3)
    ), tasks AS (SELECT DISTINCT "outcomeTypeId", "taskId" FROM o),
    cost AS (
      SELECT t."outcomeTypeId", COALESCE(sum(u."costMicros"), 0)::bigint AS cost
      FROM tasks t JOIN usage_events u ON u."agentId" = ${agent.id} AND u."taskId" = t."taskId"
      GROUP BY 1
    )
    SELECT ot.name AS type, ot.unit, ot."hasValue", count(*)::int AS outcomes,
           count(*) FILTER (WHERE o.success)::int AS successes,
           sum(o."valueMicros") FILTER (WHERE o.success)::bigint AS value,
           COALESCE(max(c.cost), 0)::bigint AS cost
    FROM o JOIN outcome_types ot ON ot.id = o."outcomeTypeId" LEFT JOIN cost c ON c."outcomeTypeId" = o."outcomeTypeId"
    GROUP BY ot.name, ot.unit, ot."hasValue"
    ORDER BY ot.name`;
  const [usage] = await db().$queryRaw<{ cost: bigint; task: bigint }[]>`
    SELECT COALESCE(sum("costMicros"), 0)::bigint AS cost,
           COALESCE(sum("costMicros") FILTER (WHERE "taskId" IS NOT NULL), 0)::bigint AS task
    FROM usage_events
    WHERE "agentId" = ${agent.id} AND "timestamp" >= ${from}::timestamp(3) AND "timestamp" < ${to}::timestamp(3)`;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    types: rows.map((r) => {
      const cost = Number(r.cost);
      const value = r.hasValue ? Number(r.value ?? 0n) : null;
      return {
        type: r.type,
        unit: r.unit,
        outcomes: r.outcomes,
        successes: r.successes,
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
