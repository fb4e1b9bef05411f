import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { applyAgentEnvironment } from "../agents/update-agent";
import { applySinkRemoval } from "../audit/sinks/commands";
import { writeAuditEvent } from "../audit/write-audit-event";
import type { CanaryChange } from "../canaries/schemas";
import { checkCanary, createCanary } from "../canaries/start-canary";
import { performDeployment } from "../deployments/deploy-version";
import { applyEnvironmentPolicy } from "../deployments/policies";
import { conflict, DomainError, notFound } from "../errors";
import { gateFailures, requireGatesPassed } from "../evals/gates";
import { applyRetention, applyTokenPolicy } from "../settings/update-org-settings";
import { applyAdminRole } from "../users/update-user";
import {
  type AgentEnvironmentChange,
  changeAudit,
  overriddenGates,
  type PolicyChange,
  type RetentionChange,
  type SinkRemoval,
} from "./open-change-request";
import { loadPending, type Pending, reject } from "./reject";
import { DecisionSchema } from "./schemas";

/** What was approved is a change in the environment it was asked for: the agent has not moved since. */
function sameEnvironment(request: { environment: string | null }, agent: { environment: string }) {
  if (request.environment && request.environment !== agent.environment)
    throw conflict(
      "request_stale",
      `The agent moved from ${request.environment} to ${agent.environment} since this was requested: reject it and request again`,
    );
}

/** Applies an approved request in the approving transaction; returns the deployment it made, if any. */
async function apply(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  request: Pending,
  note: string | undefined,
): Promise<string | null> {
  const approval = { requestId: request.id, requestedById: request.requestedById };
  switch (request.change) {
    case "deployment": {
      const { agent, version, kind } = request;
      if (!agent || !version || !kind)
        throw conflict("request_stale", "The agent or version of this request no longer exists");
      if (agent.deployedVersionId === version.id)
        throw conflict("already_deployed", `Version ${version.number} is already live`);
      sameEnvironment(request, agent);
      // What was approved is this version replacing the one live then (a request from before that was kept: any).
      const asked = request.payload as { liveVersionId?: string | null } | null;
      if (asked && asked.liveVersionId !== undefined && asked.liveVersionId !== agent.deployedVersionId)
        throw conflict(
          "request_stale",
          "The agent's live version changed since this deployment was requested: reject it and request again",
        );
      // Gates are checked again: evals may have changed since the request. The requester's override carries over,
      // for the failures it was made for.
      const failures = await gateFailures(tx, agent.environment, version.id);
      requireGatesPassed(version.number, agent.environment, failures, overriddenGates(request));
      const deployment = await performDeployment(
        tx,
        actor,
        meta,
        agent,
        version,
        kind,
        request.reason,
        { requestedById: request.requestedById, approvedById: actor.id as string },
        failures,
      );
      return deployment.id;
    }
    case "environment_policy":
      await applyEnvironmentPolicy(tx, actor, meta, request.environment!, request.payload as PolicyChange, approval);
      return null;
    case "agent_environment": {
      const change = request.payload as AgentEnvironmentChange;
      // What was approved is this agent with this live version: a deployment since then was never reviewed.
      if (!request.agent || request.agent.deployedVersionId !== change.deployedVersionId) {
        throw conflict(
          "request_stale",
          "The agent's live version changed since this move was requested: reject it and request again",
        );
      }
      sameEnvironment({ environment: change.fromEnvironment }, request.agent);
      await applyAgentEnvironment(tx, actor, meta, request.agent, change.environment, {
        ...approval,
        overridden: overriddenGates(request),
        reason: request.reason,
      });
      return null;
    }
    case "user_role":
      await applyAdminRole(tx, actor, meta, request.userId!, approval);
      return null;
    case "retention":
      await applyRetention(tx, actor, meta, request.payload as RetentionChange, approval);
      return null;
    case "token_policy":
      await applyTokenPolicy(tx, actor, meta, approval);
      return null;
    case "audit_sink":
      await applySinkRemoval(tx, actor, meta, request.payload as SinkRemoval, { ...approval, note });
      return null;
    case "canary": {
      const { stableVersionId, stableVersionNumber: _n, ...settings } = request.payload as CanaryChange;
      if (!request.agent || !request.version)
        throw conflict("request_stale", "The agent or version of this request no longer exists");
      if (request.agent.status === "retired") throw conflict("request_stale", "The agent was retired");
      sameEnvironment(request, request.agent);
      // What was approved is a canary beside this live version: a deployment since then was never reviewed.
      if (request.agent.deployedVersionId !== stableVersionId)
        throw conflict(
          "request_stale",
          "The agent's live version changed since this canary was requested: reject it and request again",
        );
      // The same checks as a start (one canary at a time, gates passed), now.
      const checked = await checkCanary(tx, request.agent.id, request.version.number);
      await createCanary(tx, actor, meta, { ...checked, settings, reason: request.reason, approval });
      return null;
    }
  }
}

/** A second admin approves: the change is applied now, in the same transaction. The requester cannot approve. */
export async function approveChangeRequest(actor: Actor, meta: RequestMeta, requestId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { note } = DecisionSchema.parse(raw);
  return inTransaction(async (tx) => {
    if (actor.type !== "user") throw new DomainError("forbidden", "forbidden", "Approvals are made by people");
    // Both people as they are now, their rows held to the commit (a demotion or deactivation racing this waits),
    // taken first, as deactivating and demoting take them (people, then agents and requests, then the audit chain):
    // the approver must still be an active admin, and so must whoever asked (a locked-out account's requests are
    // withdrawn when it is locked out; one left from before is refused here). Who asked never changes.
    const asked = await tx.changeRequest.findUnique({ where: { id: requestId }, select: { requestedById: true } });
    if (!asked) throw notFound("Change request");
    const people = await tx.$queryRaw<{ id: string; role: string; disabledAt: Date | null }[]>`
      SELECT id, role::text AS role, "disabledAt" FROM users WHERE id IN (${actor.id}, ${asked.requestedById})
      ORDER BY id FOR SHARE`;
    const request = await loadPending(tx, requestId);
    if (request.requestedById === actor.id) {
      throw new DomainError("forbidden", "self_approval", "You cannot approve your own request: another admin must");
    }
    const active = (id: string) => people.some((p) => p.id === id && p.role === "admin" && !p.disabledAt);
    if (!active(actor.id)) throw new DomainError("forbidden", "forbidden", "Only active admins approve requests");
    if (!active(request.requestedById))
      throw conflict(
        "request_stale",
        "Whoever asked for this is no longer an active admin: reject it (an admin asks again if it is still wanted)",
      );
    const deploymentId = await apply(tx, actor, meta, request, note);
    const decided = await tx.changeRequest.update({
      where: { id: requestId },
      data: {
        status: "approved",
        decidedById: actor.id,
        decidedAt: new Date(),
        decisionNote: note ?? null,
        deploymentId,
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      ...changeAudit(request.change, "approved"),
      targetId: requestId,
      agentId: request.agentId,
      teamId: request.agent?.teamId ?? null,
      before: { status: "pending" },
      after: {
        status: "approved",
        change: request.change,
        ...(deploymentId ? { deploymentId, version: request.version?.number } : {}),
      },
      reason: note ?? null,
    });
    return decided;
  });
}

/** Any admin can reject a pending request (the requester withdraws it this way). */
export async function rejectChangeRequest(actor: Actor, meta: RequestMeta, requestId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { note } = DecisionSchema.parse(raw);
  return inTransaction(async (tx) => reject(tx, actor, meta, await loadPending(tx, requestId), note));
}
