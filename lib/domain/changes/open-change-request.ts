import "server-only";
import type { DeploymentKind, Environment } from "@/lib/db/generated/enums";
import type { Tx } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import type { CanaryChange } from "../canaries/schemas";
import type { GateFailure } from "../evals/gates";

/**
 * The new values a change request carries (never secrets); applied as they are when another admin approves.
 * `from…`: the gate when the change was requested (approval is refused if it changed since). Costs in USD per passed
 * case, null for no limit.
 */
export type PolicyChange = {
  requireApproval?: boolean;
  requiredSuites?: string[];
  fromRequiredSuites?: string[];
  maxCostPerPassedCaseUsd?: number | null;
  fromMaxCostPerPassedCaseUsd?: number | null;
  minScores?: Record<string, number>;
  fromMinScores?: Record<string, number>;
};
export type AgentEnvironmentChange = {
  environment: Environment;
  fromEnvironment: Environment;
  deployedVersionId: string | null;
};
/** In a deployment's or a move's payload: the gate failures the requester overrode, shown to the approver. */
export type OverriddenGates = { overriddenGates?: GateFailure[] };
/** The SIEM sink a request would stop streaming to, as it was when asked (its URL masked). */
export type SinkRemoval = { sinkId: string; name: string; kind: string; url: string };
export type RoleChange = { role: "admin"; fromRole: string };
/** Letting personal access tokens issue credentials again (settings: tokensIssueCredentials). */
export type TokenPolicyChange = { tokensIssueCredentials: true };
/** Months to keep each kind of record, with the months kept when it was requested (approval is refused if changed). */
export type RetentionChange = {
  usageRetentionMonths?: number;
  auditRetentionMonths?: number;
  fromUsageRetentionMonths: number;
  fromAuditRetentionMonths: number;
};

export type ChangeSpec =
  | {
      change: "deployment";
      agent: { id: string; teamId: string; environment: Environment; deployedVersionId: string | null };
      version: { id: string; number: number };
      kind: DeploymentKind;
      liveVersion: number | null;
      gateFailures: GateFailure[];
      reason: string;
    }
  | {
      change: "environment_policy";
      environment: Environment;
      payload: PolicyChange;
      before: PolicyChange;
      reason: string;
    }
  | {
      change: "agent_environment";
      agent: { id: string; teamId: string };
      payload: AgentEnvironmentChange;
      /** Required eval suites the live version does not satisfy in the new environment, overridden by the requester. */
      gateFailures: GateFailure[];
      reason: string;
    }
  | { change: "user_role"; userId: string; payload: RoleChange; reason: string }
  | { change: "retention"; payload: RetentionChange; reason: string }
  | { change: "audit_sink"; payload: SinkRemoval; reason: string }
  | { change: "token_policy"; payload: TokenPolicyChange; reason: string }
  | {
      change: "canary";
      agent: { id: string; teamId: string; environment: Environment };
      version: { id: string; number: number };
      payload: CanaryChange;
      reason: string;
    };

export type PendingChange = { status: "pending_approval"; requestId: string };

/**
 * Opens a four-eyes request instead of making a change: the one mechanism for deployments, rollbacks and canaries in a
 * four-eyes environment and for every change that would weaken that control. Another admin approves it
 * (lib/domain/changes/decide-change-request.ts), which applies it; any admin rejects it.
 */
export async function openChangeRequest(
  tx: Tx,
  actor: Extract<Actor, { type: "user" }>,
  meta: RequestMeta,
  spec: ChangeSpec,
): Promise<PendingChange> {
  const { row, audit } = describeChange(spec);
  const request = await tx.changeRequest.create({
    data: { ...row, change: spec.change, requestedById: actor.id, reason: spec.reason },
  });
  await writeAuditEvent(tx, actor, meta, {
    ...changeAudit(spec.change, "requested"),
    targetId: request.id,
    ...audit,
    reason: spec.reason || null,
  });
  return { status: "pending_approval", requestId: request.id };
}

/** The requests of one kind still waiting for a second admin, with what they carry (to answer one asked again). */
export const pendingRequests = async <P>(
  client: Pick<Tx, "changeRequest">,
  change: "retention" | "audit_sink" | "token_policy",
) =>
  (
    await client.changeRequest.findMany({
      where: { change, status: "pending" },
      orderBy: { createdAt: "asc" },
      select: { id: true, payload: true },
    })
  ).map((r) => ({ id: r.id, payload: r.payload as P }));

/** Deployment requests keep the action names they always had; other changes are `change.*`. */
export const changeAudit = (change: string, step: "requested" | "approved" | "rejected") =>
  change === "deployment"
    ? ({ action: `deployment.${step}`, targetType: "deployment_request" } as const)
    : ({ action: `change.${step}`, targetType: "change_request" } as const);

const overridden = (failures: GateFailure[]): OverriddenGates => (failures.length ? { overriddenGates: failures } : {});

/** The failures a request's override was for (a request from before they were kept: any, as it was then). */
export const overriddenGates = (request: { payload: unknown; gateOverride: boolean }): GateFailure[] | boolean =>
  (request.payload as OverriddenGates | null)?.overriddenGates ?? request.gateOverride;

/** The request row's columns and the audit event's before/after for each kind of change. */
function describeChange(spec: ChangeSpec) {
  switch (spec.change) {
    case "deployment": {
      const failures = spec.gateFailures.length ? { gateOverride: spec.gateFailures } : {};
      return {
        row: {
          agentId: spec.agent.id,
          versionId: spec.version.id,
          kind: spec.kind,
          // Approved only where it was asked: a version overridden into one environment does not follow the agent.
          environment: spec.agent.environment,
          gateOverride: spec.gateFailures.length > 0,
          // Approved only beside the version live when it was asked: the approver judged that move.
          payload: { ...overridden(spec.gateFailures), liveVersionId: spec.agent.deployedVersionId },
        },
        audit: {
          agentId: spec.agent.id,
          teamId: spec.agent.teamId,
          before: { deployedVersion: spec.liveVersion },
          after: {
            requestedVersion: spec.version.number,
            kind: spec.kind,
            environment: spec.agent.environment,
            ...failures,
          },
        },
      };
    }
    case "environment_policy": {
      const { fromRequiredSuites: _from, fromMaxCostPerPassedCaseUsd: _fromMax, ...after } = spec.payload;
      return {
        row: { environment: spec.environment, payload: spec.payload },
        audit: {
          before: { change: spec.change, environment: spec.environment, ...spec.before },
          after: { change: spec.change, environment: spec.environment, ...after },
        },
      };
    }
    case "agent_environment":
      return {
        row: {
          agentId: spec.agent.id,
          payload: { ...spec.payload, ...overridden(spec.gateFailures) },
          gateOverride: spec.gateFailures.length > 0,
        },
        audit: {
          agentId: spec.agent.id,
          teamId: spec.agent.teamId,
          before: { change: spec.change, environment: spec.payload.fromEnvironment },
          after: {
            change: spec.change,
            environment: spec.payload.environment,
            ...(spec.gateFailures.length ? { gateOverride: spec.gateFailures } : {}),
          },
        },
      };
    case "canary": {
      const { stableVersionId: _id, stableVersionNumber, ...guard } = spec.payload;
      return {
        row: {
          agentId: spec.agent.id,
          versionId: spec.version.id,
          environment: spec.agent.environment,
          payload: spec.payload,
        },
        audit: {
          agentId: spec.agent.id,
          teamId: spec.agent.teamId,
          before: { change: spec.change, deployedVersion: stableVersionNumber },
          after: { change: spec.change, version: spec.version.number, environment: spec.agent.environment, ...guard },
        },
      };
    }
    case "audit_sink":
      return {
        row: { payload: spec.payload },
        audit: { before: { change: spec.change, sink: spec.payload }, after: { change: spec.change, sink: null } },
      };
    case "token_policy":
      return {
        row: { payload: spec.payload },
        audit: {
          before: { change: spec.change, tokensIssueCredentials: false },
          after: { change: spec.change, tokensIssueCredentials: true },
        },
      };
    case "retention": {
      const { fromUsageRetentionMonths, fromAuditRetentionMonths, ...after } = spec.payload;
      const before = {
        ...("usageRetentionMonths" in after ? { usageRetentionMonths: fromUsageRetentionMonths } : {}),
        ...("auditRetentionMonths" in after ? { auditRetentionMonths: fromAuditRetentionMonths } : {}),
      };
      return {
        row: { payload: spec.payload },
        audit: { before: { change: spec.change, ...before }, after: { change: spec.change, ...after } },
      };
    }
    case "user_role":
      return {
        row: { userId: spec.userId, payload: spec.payload },
        audit: {
          before: { change: spec.change, userId: spec.userId, role: spec.payload.fromRole },
          after: { change: spec.change, userId: spec.userId, role: spec.payload.role },
        },
      };
  }
}

/** People's changes go through four-eyes; the system (seed, migrations) acts alone. */
export const isPerson = (actor: Actor): actor is Extract<Actor, { type: "user" }> => actor.type === "user";
