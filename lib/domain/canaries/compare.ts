import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import { cappedMicros, sumMicros } from "../money-sql";
import { LATEST_REPORT_FIRST } from "../outcomes/latest";
import type { CanaryComparison } from "./schemas";

type CanaryRow = {
  id: string;
  agentId: string;
  versionNumber: number;
  stableVersionNumber: number;
  percent: number;
  maxCostIncreasePct: number;
  maxErrorRateIncreasePts: number;
  minCalls: number;
  outcomeTypeId?: string | null;
  maxCostPerSuccessIncreasePct?: number | null;
  minOutcomes?: number;
  startedAt: Date;
  endedAt?: Date | null;
};

/**
 * Which side a routing key is served: a stable hash of the canary and the key, so the same session, end user or task
 * gets the same version for the whole canary, and a new canary reshuffles who is in it.
 */
export function servesCanary(canary: { id: string; percent: number }, routingKey: string): boolean {
  const h = createHash("sha256").update(`${canary.id}\u0000${routingKey}`).digest();
  return h.readUInt32BE(0) % 10_000 < canary.percent * 100;
}

/**
 * Canary against stable, from the model calls the runtime reported since the canary started (each event names the
 * version it ran on; tool events are left out): calls, error rate, cost per priced call (an unpriced call is not $0),
 * mean latency; and the guard it breaches, once both sides have `minCalls` calls.
 */
export async function compareCanary(client: Pick<Tx | Db, "$queryRaw">, c: CanaryRow): Promise<CanaryComparison> {
  const rows = await client.$queryRaw<
    { v: number; calls: number; errors: number; priced: number; cost: bigint; latency: number | null }[]
  >`
    SELECT "versionNumber" AS v, count(*)::int AS calls, count(*) FILTER (WHERE status = 'error')::int AS errors,
      count("costMicros")::int AS priced, ${sumMicros(Prisma.sql`"costMicros"`)} AS cost,
      avg("latencyMs")::float8 AS latency
    FROM usage_events
    WHERE "agentId" = ${c.agentId} AND "timestamp" >= ${c.startedAt}::timestamp(3)
      AND ("timestamp" < ${c.endedAt ?? null}::timestamp(3) OR ${c.endedAt ?? null}::timestamp(3) IS NULL)
      AND "versionNumber" IN (${c.versionNumber}, ${c.stableVersionNumber}) AND tool IS NULL
    GROUP BY 1`;
  // With an outcome guard: that type's outcomes per version since the start (a task once, as its latest report says),
  // and the whole cost of those tasks.
  const outcomeRows = c.outcomeTypeId
    ? await client.$queryRaw<{ v: number; outcomes: number; successes: number; cost: bigint }[]>`
        WITH o AS (
          SELECT DISTINCT ON ("versionNumber", "taskId") "versionNumber" AS v, "taskId", success FROM outcomes
          WHERE "agentId" = ${c.agentId} AND "outcomeTypeId" = ${c.outcomeTypeId}
            AND "timestamp" >= ${c.startedAt}::timestamp(3)
            AND ("timestamp" < ${c.endedAt ?? null}::timestamp(3) OR ${c.endedAt ?? null}::timestamp(3) IS NULL)
            AND "versionNumber" IN (${c.versionNumber}, ${c.stableVersionNumber})
          ORDER BY "versionNumber", "taskId", ${LATEST_REPORT_FIRST}
        ), cost AS (
          SELECT t.v, sum(u."costMicros") AS cost
          FROM (SELECT DISTINCT v, "taskId" FROM o) t
          JOIN usage_events u ON u."agentId" = ${c.agentId} AND u."taskId" = t."taskId"
          GROUP BY 1
        )
        SELECT o.v, count(*)::int AS outcomes, (count(*) FILTER (WHERE o.success))::int AS successes,
          ${cappedMicros(Prisma.sql`COALESCE(max(cost.cost), 0)`)} AS cost
        FROM o LEFT JOIN cost ON cost.v = o.v GROUP BY o.v`
    : null;
  const outcomesOf = (v: number) => {
    if (!outcomeRows) return null;
    const r = outcomeRows.find((x) => x.v === v);
    const successes = r?.successes ?? 0;
    return {
      outcomes: r?.outcomes ?? 0,
      successes,
      costPerSuccessMicros: successes ? Number(r!.cost) / successes : null,
    };
  };
  const side = (v: number) => {
    const r = rows.find((x) => x.v === v);
    const calls = r?.calls ?? 0;
    const cost = Number(r?.cost ?? 0n);
    return {
      versionNumber: v,
      calls,
      errors: r?.errors ?? 0,
      errorRate: calls ? (r?.errors ?? 0) / calls : null,
      costMicros: cost,
      costPerCallMicros: r?.priced ? cost / r.priced : null,
      avgLatencyMs: r?.latency == null ? null : Math.round(r.latency),
      outcomes: outcomesOf(v),
    };
  };
  const canary = side(c.versionNumber);
  const stable = side(c.stableVersionNumber);
  return { canary, stable, breach: breachOf(canary, stable, c) };
}

type Side = CanaryComparison["canary"];

/** The guard a canary breaches against stable (null when it holds, or before both sides have enough calls). */
export function breachOf(
  canary: Side,
  stable: Side,
  g: {
    maxCostIncreasePct: number;
    maxErrorRateIncreasePts: number;
    minCalls: number;
    maxCostPerSuccessIncreasePct?: number | null;
    minOutcomes?: number;
  },
): string | null {
  return callBreach(canary, stable, g) ?? outcomeBreach(canary, stable, g);
}

/** Cost per successful outcome, judged once both sides have `minOutcomes` outcomes and a success each. */
function outcomeBreach(
  canary: Side,
  stable: Side,
  g: { maxCostPerSuccessIncreasePct?: number | null; minOutcomes?: number },
): string | null {
  const [co, so] = [canary.outcomes, stable.outcomes];
  if (g.maxCostPerSuccessIncreasePct == null || !co || !so) return null;
  const min = g.minOutcomes ?? 20;
  if (co.outcomes < min || so.outcomes < min) return null;
  const [cc, sc] = [co.costPerSuccessMicros, so.costPerSuccessMicros];
  // A canary with outcomes but no success, beside a stable that succeeds, is as bad as it gets.
  if (cc === null) return sc === null ? null : "no successful outcome yet, beside stable's";
  if (sc !== null && cc > sc * (1 + g.maxCostPerSuccessIncreasePct / 100)) {
    const rise = sc > 0 ? `+${Math.round((cc / sc - 1) * 100)} %` : "from $0";
    return `cost per successful outcome ${rise} (limit +${g.maxCostPerSuccessIncreasePct} %)`;
  }
  return null;
}

function callBreach(
  canary: Side,
  stable: Side,
  g: { maxCostIncreasePct: number; maxErrorRateIncreasePts: number; minCalls: number },
): string | null {
  if (canary.calls < g.minCalls || stable.calls < g.minCalls) return null;
  // Cost is judged only where both sides have priced calls (unpriced usage is never taken for $0).
  const [cc, sc] = [canary.costPerCallMicros, stable.costPerCallMicros];
  if (cc !== null && sc !== null && cc > sc * (1 + g.maxCostIncreasePct / 100)) {
    const rise = sc > 0 ? `+${Math.round((cc / sc - 1) * 100)} %` : "from $0";
    return `cost per call ${rise} (limit +${g.maxCostIncreasePct} %)`;
  }
  const [ce, se] = [(canary.errorRate ?? 0) * 100, (stable.errorRate ?? 0) * 100];
  if (ce - se > g.maxErrorRateIncreasePts)
    return `error rate ${ce.toFixed(1)} % vs ${se.toFixed(1)} % (limit +${g.maxErrorRateIncreasePts} points)`;
  return null;
}
