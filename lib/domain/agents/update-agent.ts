import "server-only";
import type { Agent } from "@/lib/db/generated/client";
import type { Environment } from "@/lib/db/generated/enums";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { endRunningCanary } from "../canaries/end-canary";
import { isPerson, openChangeRequest, type PendingChange } from "../changes/open-change-request";
import { auditGateOverride } from "../deployments/deploy-version";
import { requiresApproval, weakerControls } from "../deployments/policies";
import { invalid, notFound } from "../errors";
import { type GateFailure, gateFailures, requireGatesPassed } from "../evals/gates";
import { lockAgent } from "../locks";
import { UpdateAgentSchema } from "./schemas";

/**
 * What moving an agent puts its live version through: the new environment's eval gates, as a deployment there would
 * (409 eval_gate_failed unless an admin overrides them with a reason). An agent with no live version moves freely:
 * its first deployment meets the gates.
 */
async function moveGates(
  tx: Tx,
  deployedVersionId: string | null,
  environment: Environment,
  override: { overridden: boolean | GateFailure[]; reason: string },
): Promise<{ version: number; failures: GateFailure[] } | null> {
  if (!deployedVersionId) return null;
  const { number: version } = await tx.agentVersion.findUniqueOrThrow({
    where: { id: deployedVersionId },
    select: { number: true },
  });
  const failures = await gateFailures(tx, environment, deployedVersionId);
  requireGatesPassed(version, environment, failures, override.overridden, override.reason);
  return { version, failures };
}

/**
 * Edits an agent's metadata; the audit event records only the fields that changed. Moving an agent that has a
 * live version puts that version live in the new environment, so the move meets that environment's eval gates. A
 * person's move waits for a second admin (a change request; `pendingChange` in the result) while the other fields
 * apply when it puts a live version into a four-eyes environment, or leaves four-eyes or an eval gate behind.
 */
export async function updateAgent(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  raw: unknown,
): Promise<Agent & { pendingChange?: PendingChange }> {
  requireAdmin(actor);
  const { overrideGates = false, reason = "", ...patch } = UpdateAgentSchema.parse(raw);
  return inTransaction(async (tx) => {
    await lockAgent(tx, agentId);
    const current = await tx.agent.findUnique({ where: { id: agentId } });
    if (!current) throw notFound("Agent");
    if (patch.teamId && !(await tx.team.findUnique({ where: { id: patch.teamId }, select: { id: true } }))) {
      throw invalid("Unknown team", { teamId: ["this team does not exist"] });
    }
    if (patch.ownerId && !(await tx.user.findUnique({ where: { id: patch.ownerId }, select: { id: true } }))) {
      throw invalid("Unknown owner", { ownerId: ["this user does not exist"] });
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch) as [keyof typeof patch, unknown][]) {
      if (v !== undefined && current[k] !== v) {
        before[k] = current[k];
        after[k] = v;
      }
    }
    let pendingChange: PendingChange | undefined;
    const environment = after.environment as Environment | undefined;
    const gates = environment
      ? await moveGates(tx, current.deployedVersionId, environment, { overridden: overrideGates, reason })
      : null;
    // A person's move waits for a second admin when it puts a live version into a four-eyes environment, or leaves a
    // control behind (four-eyes, an eval gate): the agent's keys would take what one admin deploys next there.
    if (
      environment &&
      isPerson(actor) &&
      ((gates && (await requiresApproval(tx, environment))) ||
        (await weakerControls(tx, current.environment, environment)))
    ) {
      delete before.environment;
      delete after.environment;
      pendingChange = await openChangeRequest(tx, actor, meta, {
        change: "agent_environment",
        agent: current,
        payload: { environment, fromEnvironment: current.environment, deployedVersionId: current.deployedVersionId },
        gateFailures: gates?.failures ?? [],
        reason,
      });
    }
    if (Object.keys(after).length === 0) return { ...current, ...(pendingChange ? { pendingChange } : {}) };
    const updated = await tx.agent.update({ where: { id: agentId }, data: after });
    if (after.environment) {
      // A canary tried under the old environment's rules does not carry on under the new one's.
      await endRunningCanary(tx, actor, meta, current, "aborted", `The agent moved to ${after.environment}`);
      if (gates)
        await auditGateOverride(
          tx,
          actor,
          meta,
          current,
          { version: gates.version, environment },
          gates.failures,
          reason,
        );
    }
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.updated",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: updated.teamId,
      before,
      after,
      reason: reason || null,
    });
    return { ...updated, ...(pendingChange ? { pendingChange } : {}) };
  });
}

/**
 * Moves an agent to another environment once a second admin approved it (the approving transaction). The gates are
 * checked again (evals may have changed since the request); the requester's override carries over, for the failures
 * it was made for.
 */
export async function applyAgentEnvironment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agent: Agent,
  environment: Environment,
  approval: { requestId: string; requestedById: string; overridden: boolean | GateFailure[]; reason: string },
) {
  if (agent.environment === environment) return;
  const gates = await moveGates(tx, agent.deployedVersionId, environment, approval);
  await tx.agent.update({ where: { id: agent.id }, data: { environment } });
  await endRunningCanary(tx, actor, meta, agent, "aborted", `The agent moved to ${environment}`);
  if (gates)
    await auditGateOverride(
      tx,
      actor,
      meta,
      agent,
      { version: gates.version, environment },
      gates.failures,
      approval.reason,
    );
  await writeAuditEvent(tx, actor, meta, {
    action: "agent.updated",
    targetType: "agent",
    targetId: agent.id,
    agentId: agent.id,
    teamId: agent.teamId,
    before: { environment: agent.environment },
    after: { environment, requestId: approval.requestId, requestedById: approval.requestedById },
    reason: approval.reason || null,
  });
}
