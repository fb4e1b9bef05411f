import "server-only";
import type { Agent } from "@/lib/db/generated/client";
import type { Environment } from "@/lib/db/generated/enums";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { endRunningCanary } from "../canaries/end-canary";
import { isPerson, openChangeRequest, type PendingChange } from "../changes/open-change-request";
import { requiresApproval } from "../deployments/policies";
import { invalid, notFound } from "../errors";
import { lockAgent } from "../locks";
import { UpdateAgentSchema } from "./schemas";

/**
 * Edits an agent's metadata; the audit event records only the fields that changed. Moving an agent that has a
 * live version into a four-eyes environment would put that version live there without review, so a person's
 * move waits for a second admin (a change request; `pendingChange` in the result) while the other fields apply.
 */
export async function updateAgent(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  raw: unknown,
): Promise<Agent & { pendingChange?: PendingChange }> {
  requireAdmin(actor);
  const patch = UpdateAgentSchema.parse(raw);
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
    if (environment && isPerson(actor) && current.deployedVersionId && (await requiresApproval(tx, environment))) {
      delete before.environment;
      delete after.environment;
      pendingChange = await openChangeRequest(tx, actor, meta, {
        change: "agent_environment",
        agent: current,
        payload: { environment, fromEnvironment: current.environment, deployedVersionId: current.deployedVersionId },
        reason: "",
      });
    }
    if (Object.keys(after).length === 0) return { ...current, ...(pendingChange ? { pendingChange } : {}) };
    const updated = await tx.agent.update({ where: { id: agentId }, data: after });
    // A canary tried under the old environment's rules does not carry on under the new one's.
    if (after.environment && after.environment !== current.environment)
      await endRunningCanary(tx, actor, meta, current, "aborted", `The agent moved to ${after.environment}`);
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.updated",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: updated.teamId,
      before,
      after,
    });
    return { ...updated, ...(pendingChange ? { pendingChange } : {}) };
  });
}

/** Moves an agent to another environment once a second admin approved it (the approving transaction). */
export async function applyAgentEnvironment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agent: Agent,
  environment: Environment,
  approval: { requestId: string; requestedById: string },
) {
  if (agent.environment === environment) return;
  await tx.agent.update({ where: { id: agent.id }, data: { environment } });
  await endRunningCanary(tx, actor, meta, agent, "aborted", `The agent moved to ${environment}`);
  await writeAuditEvent(tx, actor, meta, {
    action: "agent.updated",
    targetType: "agent",
    targetId: agent.id,
    agentId: agent.id,
    teamId: agent.teamId,
    before: { environment: agent.environment },
    after: { environment, requestId: approval.requestId, requestedById: approval.requestedById },
  });
}
