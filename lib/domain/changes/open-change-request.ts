import type { DeploymentKind, Environment } from "@/lib/db/generated/enums";
import type { Tx } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import type { GateFailure } from "../evals/gates";

/** The new values a change request carries (never secrets); applied as they are when another admin approves. */
/** `fromRequiredSuites`: the suites when the change was requested (approval is refused if they changed since). */
export type PolicyChange = { requireApproval?: boolean; requiredSuites?: string[]; fromRequiredSuites?: string[] };
export type AgentEnvironmentChange = { environment: Environment; fromEnvironment: Environment; deployedVersionId: string | null };
export type RoleChange = { role: "admin"; fromRole: string };

export type ChangeSpec =
  | {
      change: "deployment";
      agent: { id: string; teamId: string; environment: Environment };
      version: { id: string; number: number };
      kind: DeploymentKind;
      liveVersion: number | null;
      gateFailures: GateFailure[];
      reason: string;
    }
  | { change: "environment_policy"; environment: Environment; payload: PolicyChange; before: PolicyChange; reason: string }
  | { change: "agent_environment"; agent: { id: string; teamId: string }; payload: AgentEnvironmentChange; reason: string }
  | { change: "user_role"; userId: string; payload: RoleChange; reason: string };

export type PendingChange = { status: "pending_approval"; requestId: string };

/**
 * Opens a four-eyes request instead of making a change: the one mechanism for deployments and rollbacks in a
 * four-eyes environment and for every change that would weaken that control. Another admin approves it
 * (lib/domain/changes/decide-change-request.ts), which applies it; any admin rejects it.
 */
export async function openChangeRequest(tx: Tx, actor: Extract<Actor, { type: "user" }>, meta: RequestMeta, spec: ChangeSpec): Promise<PendingChange> {
  const base = { requestedById: actor.id, reason: spec.reason };
  switch (spec.change) {
    case "deployment": {
      const request = await tx.changeRequest.create({
        data: { ...base, change: "deployment", agentId: spec.agent.id, versionId: spec.version.id, kind: spec.kind, gateOverride: spec.gateFailures.length > 0 },
      });
      await writeAuditEvent(tx, actor, meta, {
        action: "deployment.requested",
        targetType: "deployment_request",
        targetId: request.id,
        agentId: spec.agent.id,
        teamId: spec.agent.teamId,
        before: { deployedVersion: spec.liveVersion },
        after: { requestedVersion: spec.version.number, kind: spec.kind, environment: spec.agent.environment, ...(spec.gateFailures.length ? { gateOverride: spec.gateFailures } : {}) },
        reason: spec.reason || null,
      });
      return { status: "pending_approval", requestId: request.id };
    }
    case "environment_policy": {
      const request = await tx.changeRequest.create({ data: { ...base, change: "environment_policy", environment: spec.environment, payload: spec.payload } });
      await writeAuditEvent(tx, actor, meta, {
        action: "change.requested",
        targetType: "change_request",
        targetId: request.id,
        before: { change: "environment_policy", environment: spec.environment, ...spec.before },
        after: { change: "environment_policy", environment: spec.environment, ...spec.payload },
        reason: spec.reason || null,
      });
      return { status: "pending_approval", requestId: request.id };
    }
    case "agent_environment": {
      const request = await tx.changeRequest.create({ data: { ...base, change: "agent_environment", agentId: spec.agent.id, payload: spec.payload } });
      await writeAuditEvent(tx, actor, meta, {
        action: "change.requested",
        targetType: "change_request",
        targetId: request.id,
        agentId: spec.agent.id,
        teamId: spec.agent.teamId,
        before: { change: "agent_environment", environment: spec.payload.fromEnvironment },
        after: { change: "agent_environment", environment: spec.payload.environment },
        reason: spec.reason || null,
      });
      return { status: "pending_approval", requestId: request.id };
    }
    case "user_role": {
      const request = await tx.changeRequest.create({ data: { ...base, change: "user_role", userId: spec.userId, payload: spec.payload } });
      await writeAuditEvent(tx, actor, meta, {
        action: "change.requested",
        targetType: "change_request",
        targetId: request.id,
        before: { change: "user_role", userId: spec.userId, role: spec.payload.fromRole },
        after: { change: "user_role", userId: spec.userId, role: spec.payload.role },
        reason: spec.reason || null,
      });
      return { status: "pending_approval", requestId: request.id };
    }
  }
}

/** People's changes go through four-eyes; the system (seed, migrations) acts alone. */
export const isPerson = (actor: Actor): actor is Extract<Actor, { type: "user" }> => actor.type === "user";
