import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isPerson } from "../changes/open-change-request";
import { requiresApproval } from "../deployments/policies";
import { conflict, notFound } from "../errors";
import { describeGateFailures, gateFailures } from "../evals/gates";
import { lockLiveAgent } from "../locks";
import { StartCanarySchema } from "./schemas";

/**
 * Serves a version to `percent` % of the agent's routing keys beside the deployed one, with a guard that rolls it back
 * on a regression. The version must pass the environment's eval gates as a deployment would. One canary at a time.
 * In an environment that requires four-eyes, a person cannot start one alone (409 four_eyes_required): deploy the
 * version through a request instead.
 */
export async function startCanary(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor);
  const input = StartCanarySchema.parse(raw);
  return inTransaction(async (tx) => {
    await lockLiveAgent(tx, agentId, "update");
    const agent = await tx.agent.findUniqueOrThrow({
      where: { id: agentId },
      include: { deployedVersion: { select: { number: true } } },
    });
    if (!agent.deployedVersion)
      throw conflict("canary_conflict", "Deploy a first version before trying another on part of the traffic");
    const version = await tx.agentVersion.findUnique({
      where: { agentId_number: { agentId, number: input.versionNumber } },
    });
    if (!version) throw notFound(`Version ${input.versionNumber}`);
    if (version.id === agent.deployedVersionId)
      throw conflict("already_deployed", `Version ${version.number} is already live`);
    const running = await tx.canary.findFirst({ where: { agentId, status: "running" } });
    if (running)
      throw conflict(
        "canary_conflict",
        `Version ${running.versionNumber} is already in canary: promote it or roll it back first`,
      );
    if (isPerson(actor) && (await requiresApproval(tx, agent.environment)))
      throw conflict(
        "four_eyes_required",
        `${agent.environment} requires a second admin's approval to put a version live: request a deployment instead`,
      );
    const failures = await gateFailures(tx, agent.environment, version.id, "deploy");
    if (failures.length)
      throw conflict("eval_gate_failed", describeGateFailures(version.number, agent.environment, failures), {
        environment: agent.environment,
        suites: failures,
      });
    const canary = await tx.canary.create({
      data: {
        agentId,
        versionId: version.id,
        versionNumber: version.number,
        stableVersionNumber: agent.deployedVersion.number,
        percent: input.percent,
        maxCostIncreasePct: input.maxCostIncreasePct,
        maxErrorRateIncreasePts: input.maxErrorRateIncreasePts,
        minCalls: input.minCalls,
        reason: input.reason,
        startedById: actor.type === "user" ? actor.id : null,
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "deployment.canary_started",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      after: {
        canaryId: canary.id,
        version: canary.versionNumber,
        stableVersion: canary.stableVersionNumber,
        percent: canary.percent,
        guard: {
          maxCostIncreasePct: canary.maxCostIncreasePct,
          maxErrorRateIncreasePts: canary.maxErrorRateIncreasePts,
          minCalls: canary.minCalls,
        },
      },
      reason: input.reason || null,
    });
    return canary;
  });
}
