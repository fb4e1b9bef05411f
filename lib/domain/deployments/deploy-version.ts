import "server-only";
import { z } from "zod";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { endRunningCanary } from "../canaries/end-canary";
import { isPerson, openChangeRequest } from "../changes/open-change-request";
import { conflict, invalid, notFound } from "../errors";
import { type GateFailure, gateFailures, requireGatesPassed } from "../evals/gates";
import { lockLiveAgent } from "../locks";
import { requiresApproval } from "./policies";

export const DeployInputSchema = z.object({
  versionNumber: z.number().int().positive().max(1_000_000),
  reason: z.string().trim().max(1000).default(""),
  overrideGates: z.boolean().default(false).meta({
    description:
      "Deploy although required eval suites are missing or failing (admins; a reason is required; audited as an override)",
  }),
});
export type DeployInput = z.input<typeof DeployInputSchema>;

type AgentRow = { id: string; teamId: string; deployedVersionId: string | null };
type VersionRow = { id: string; number: number };

/** Makes a version live: a new deployment row (history is never rewritten), the agent's pointer, the audit event. */
export async function performDeployment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agent: AgentRow,
  version: VersionRow,
  kind: "deploy" | "rollback",
  reason: string,
  // With four-eyes, the requester is recorded as the deployer and the acting admin as the approver.
  approval: { requestedById: string; approvedById: string } | null = null,
  // Required eval suites the version does not satisfy, deployed anyway by an admin's override.
  overridden: GateFailure[] = [],
) {
  const approvedById = approval?.approvedById ?? null;
  const live = agent.deployedVersionId
    ? await tx.agentVersion.findUnique({ where: { id: agent.deployedVersionId }, select: { number: true } })
    : null;
  const deployment = await tx.deployment.create({
    data: {
      agentId: agent.id,
      versionId: version.id,
      kind,
      reason,
      deployedById: approval?.requestedById ?? (actor.type === "user" ? actor.id : null),
      approvedById,
      gateOverride: overridden.length > 0,
    },
  });
  await auditGateOverride(
    tx,
    actor,
    meta,
    agent,
    { version: version.number, deploymentId: deployment.id },
    overridden,
    reason,
  );
  await tx.agent.update({ where: { id: agent.id }, data: { deployedVersionId: version.id } });
  // A running canary ends here: promoted when its own version went live, else replaced by this deployment.
  await endRunningCanary(
    tx,
    actor,
    meta,
    agent,
    (c) => (c.versionNumber === version.number ? "promoted" : "aborted"),
    `Version ${version.number} ${kind === "rollback" ? "rolled back to" : "deployed"}`,
  );
  await writeAuditEvent(tx, actor, meta, {
    action: kind === "rollback" ? "deployment.rolled_back" : "deployment.created",
    targetType: "agent",
    targetId: agent.id,
    agentId: agent.id,
    teamId: agent.teamId,
    before: { deployedVersion: live?.number ?? null },
    after: { deployedVersion: version.number, deploymentId: deployment.id, approvedById },
    reason: reason || null,
  });
  return deployment;
}

/**
 * Records that a version went live where required eval suites had not passed it, by an admin's override: a
 * deployment, or an agent moved with its live version (`what` says which).
 */
export async function auditGateOverride(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agent: { id: string; teamId: string },
  what: { version: number; deploymentId?: string; environment?: string },
  failures: GateFailure[],
  reason: string,
) {
  if (!failures.length) return;
  await writeAuditEvent(tx, actor, meta, {
    action: "deployment.gate_overridden",
    targetType: "agent",
    targetId: agent.id,
    agentId: agent.id,
    teamId: agent.teamId,
    after: { ...what, failingSuites: failures },
    reason: reason || null,
  });
}

export type DeployResult =
  | { status: "deployed"; deploymentId: string; versionNumber: number; kind: "deploy" | "rollback" }
  | { status: "pending_approval"; requestId: string; versionNumber: number; kind: "deploy" | "rollback" };

/**
 * Deploys a version, or rolls back to an older one (a reason is required). Where the environment requires
 * eval suites, they must have passed on the version (409 eval_gate_failed) unless an admin overrides with a
 * reason. Where it requires four-eyes approval, a person's deployment becomes a pending request that another
 * admin must approve.
 */
export async function deployVersion(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  raw: unknown,
): Promise<DeployResult> {
  requireAdmin(actor);
  const input = DeployInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    await lockLiveAgent(tx, agentId, "update");
    const agent = await tx.agent.findUniqueOrThrow({
      where: { id: agentId },
      include: { deployedVersion: { select: { number: true } } },
    });
    const version = await tx.agentVersion.findUnique({
      where: { agentId_number: { agentId, number: input.versionNumber } },
    });
    if (!version) throw notFound(`Version ${input.versionNumber}`);
    if (agent.deployedVersionId === version.id)
      throw conflict("already_deployed", `Version ${version.number} is already live`);
    const kind = agent.deployedVersion && version.number < agent.deployedVersion.number ? "rollback" : "deploy";
    if (kind === "rollback" && !input.reason)
      throw invalid("A rollback needs a reason", { reason: ["required for a rollback"] });
    const failures = await gateFailures(tx, agent.environment, version.id);
    requireGatesPassed(version.number, agent.environment, failures, input.overrideGates, input.reason);

    if (isPerson(actor) && (await requiresApproval(tx, agent.environment))) {
      const pending = await openChangeRequest(tx, actor, meta, {
        change: "deployment",
        agent,
        version,
        kind,
        liveVersion: agent.deployedVersion?.number ?? null,
        gateFailures: failures,
        reason: input.reason,
      });
      return { ...pending, versionNumber: version.number, kind };
    }
    const deployment = await performDeployment(tx, actor, meta, agent, version, kind, input.reason, null, failures);
    return { status: "deployed", deploymentId: deployment.id, versionNumber: version.number, kind };
  });
}
