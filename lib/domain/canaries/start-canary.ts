import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isPerson, openChangeRequest, type PendingChange } from "../changes/open-change-request";
import { requiresApproval } from "../deployments/policies";
import { conflict, invalid, notFound } from "../errors";
import { gateFailures, requireGatesPassed } from "../evals/gates";
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
    await guardedOutcomeType(tx, agentId, settings);
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
  const failures = await gateFailures(tx, agent.environment, version.id);
  requireGatesPassed(version.number, agent.environment, failures);
  return { agent, stable, version };
}

/**
 * The outcome type an outcome guard names: one in use that the agent is listed to report (its outcomes name the
 * version they ran on), else 422 naming the field. Null without an outcome guard.
 */
async function guardedOutcomeType(tx: Tx, agentId: string, settings: CanarySettings): Promise<string | null> {
  if (!settings.outcomeType) return null;
  const t = await tx.outcomeType.findFirst({
    where: { name: settings.outcomeType, archivedAt: null },
    include: { reporters: { where: { agentId }, select: { agentId: true } } },
  });
  if (!t)
    throw invalid("The outcome guard names an outcome type not in use", {
      outcomeType: [`no outcome type named "${settings.outcomeType}" is in use`],
    });
  if (!t.reporters.length)
    throw invalid("The agent does not report that outcome", {
      outcomeType: [`this agent is not listed to report ${t.name}`],
    });
  return t.id;
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
  const outcomeTypeId = await guardedOutcomeType(tx, agent.id, settings);
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
      outcomeTypeId,
      maxCostPerSuccessIncreasePct: outcomeTypeId ? (settings.maxCostPerSuccessIncreasePct ?? null) : null,
      minOutcomes: settings.minOutcomes ?? 20,
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
        ...(outcomeTypeId
          ? {
              outcomeType: settings.outcomeType,
              maxCostPerSuccessIncreasePct: canary.maxCostPerSuccessIncreasePct,
              minOutcomes: canary.minOutcomes,
            }
          : {}),
      },
      ...(approval ? { approval } : {}),
    },
    reason: reason || null,
  });
  return { status: "started", id: canary.id, versionNumber: canary.versionNumber, percent: canary.percent };
}
