import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { compareCanary } from "./compare";
import type { CanaryComparison, CanaryView } from "./schemas";

/** The agent's running canary with its live comparison, else its latest one with the figures it ended on (or null). */
export async function getCanary(actor: Actor, agentIdOrSlug: string): Promise<CanaryView | null> {
  const agent = await getAgent(actor, agentIdOrSlug);
  return agentCanary(agent.id);
}

export async function agentCanary(agentId: string): Promise<CanaryView | null> {
  const c =
    (await db().canary.findFirst({ where: { agentId, status: "running" } })) ??
    (await db().canary.findFirst({ where: { agentId }, orderBy: { startedAt: "desc" } }));
  if (!c) return null;
  const comparison = c.status === "running" ? await compareCanary(db(), c) : (c.result as CanaryComparison | null);
  const guarded = c.outcomeTypeId
    ? await db().outcomeType.findUnique({ where: { id: c.outcomeTypeId }, select: { name: true } })
    : null;
  return {
    id: c.id,
    agentId: c.agentId,
    versionNumber: c.versionNumber,
    stableVersionNumber: c.stableVersionNumber,
    percent: c.percent,
    maxCostIncreasePct: c.maxCostIncreasePct,
    maxErrorRateIncreasePts: c.maxErrorRateIncreasePts,
    minCalls: c.minCalls,
    outcomeGuard:
      guarded && c.maxCostPerSuccessIncreasePct !== null
        ? {
            outcomeType: guarded.name,
            maxCostPerSuccessIncreasePct: c.maxCostPerSuccessIncreasePct,
            minOutcomes: c.minOutcomes,
          }
        : null,
    status: c.status,
    reason: c.reason,
    startedAt: c.startedAt.toISOString(),
    endedAt: c.endedAt?.toISOString() ?? null,
    endedReason: c.endedReason,
    comparison,
  };
}
