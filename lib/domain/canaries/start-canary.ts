import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isPerson, openChangeRequest, type PendingChange } from "../changes/open-change-request";
import { requiresApproval } from "../deployments/policies";
import { conflict, notFound } from "../errors";
import { describeGateFailures, gateFailures } from "../evals/gates";
import { lockLiveAgent } from "../locks";
import { type CanarySettings, StartCanarySchema } from "./schemas";

export type CanaryStarted = { status: "started"; id: string; versionNumber: number; percent: number };

/**
 * Serves a version to `percent` % of the agent's routing keys beside the deployed one, with a guard that rolls it back
 * on a regression. The version must pass the environment's eval gates as a deployment would. One canary at a time.
 * In an environment that requires four-eyes, a person's start opens a change request instead: the canary starts when
 * another admin approves it (lib/domain/changes/decide-change-request.ts), checked again then.
 */
export async function startCanary(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  raw: unknown,
): Promise<CanaryStarted | PendingChange> {
  requireAdmin(actor);
  const { versionNumber, reason, ...settings } = StartCanarySchema.parse(raw);
  return inTransaction(async (tx) => {
    await lockLiveAgent(tx, agentId, "update");
    const { agent, stable, version } = await checkCanary(tx, agentId, versionNumber);
    if (isPerson(actor) && (await requiresApproval(tx, agent.environment))) {
      const waiting = await tx.changeRequest.findFirst({
        where: { agentId, change: "canary", status: "pending" },
        include: { version: { select: { number: true } } },
      });
      if (waiting)
        throw conflict(
          "canary_conflict",
          `A canary of version ${waiting.version?.number} is already waiting for approval: decide it first`,
        );
      return openChangeRequest(tx, actor, meta, {
        change: "canary",
        agent,
        version,
        payload: { ...settings, stableVersionId: stable.id, stableVersionNumber: stable.number },
        reason,
      });
    }
    return createCanary(tx, actor, meta, { agent, stable, version, settings, reason });
  });
}

/**
 * What starting a canary needs, with the agent's row locked: a live version, another version of it, no canary
 * running, the eval gates passed (the same whether the canary starts now or on approval).
 */
export async function checkCanary(tx: Tx, agentId: string, versionNumber: number) {
  const agent = await tx.agent.findUniqueOrThrow({
    where: { id: agentId },
    include: { deployedVersion: { select: { id: true, number: true } } },
  });
  const stable = agent.deployedVersion;
  if (!stable) throw conflict("canary_conflict", "Deploy a first version before trying another on part of the traffic");
  const version = await tx.agentVersion.findUnique({ where: { agentId_number: { agentId, number: versionNumber } } });
  if (!version) throw notFound(`Version ${versionNumber}`);
  if (version.id === stable.id) throw conflict("already_deployed", `Version ${version.number} is already live`);
  const running = await tx.canary.findFirst({ where: { agentId, status: "running" } });
  if (running)
    throw conflict(
      "canary_conflict",
      `Version ${running.versionNumber} is already in canary: promote it or roll it back first`,
    );
  const failures = await gateFailures(tx, agent.environment, version.id, "deploy");
  if (failures.length)
    throw conflict("eval_gate_failed", describeGateFailures(version.number, agent.environment, failures), {
      environment: agent.environment,
      suites: failures,
    });
  return { agent, stable, version };
}

/** Starts the canary checked by `checkCanary`, audited (with the request it was approved on, if any). */
export async function createCanary(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  {
    agent,
    stable,
    version,
    settings,
    reason,
    approval,
  }: Awaited<ReturnType<typeof checkCanary>> & {
    settings: CanarySettings;
    reason: string;
    approval?: { requestId: string; requestedById: string };
  },
): Promise<CanaryStarted> {
  const canary = await tx.canary.create({
    data: {
      agentId: agent.id,
      versionId: version.id,
      versionNumber: version.number,
      stableVersionNumber: stable.number,
      percent: settings.percent,
      maxCostIncreasePct: settings.maxCostIncreasePct,
      maxErrorRateIncreasePts: settings.maxErrorRateIncreasePts,
      minCalls: settings.minCalls,
      reason,
      startedById: approval?.requestedById ?? (actor.type === "user" ? actor.id : null),
    },
  });
  await writeAuditEvent(tx, actor, meta, {
    action: "deployment.canary_started",
    targetType: "agent",
    targetId: agent.id,
    agentId: agent.id,
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
      ...(approval ? { approval } : {}),
    },
    reason: reason || null,
  });
  return { status: "started", id: canary.id, versionNumber: canary.versionNumber, percent: canary.percent };
}
