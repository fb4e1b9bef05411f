import { z } from "zod";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, DomainError, notFound } from "../errors";
import { describeGateFailures, gateFailures } from "../evals/gates";
import { performDeployment } from "./deploy-version";

const DecisionSchema = z.object({ note: z.string().trim().max(1000).optional() });

async function loadPending(tx: Tx, requestId: string) {
  const found = await tx.deploymentRequest.findUnique({ where: { id: requestId }, select: { agentId: true } });
  if (!found) throw notFound("Deployment request");
  // Two admins deciding at once queue on the request row; the agent row is locked first, in the order retiring an
  // agent takes them, so a decision and a retirement queue instead of deadlocking.
  await tx.$executeRaw`SELECT 1 FROM agents WHERE id = ${found.agentId} FOR UPDATE`;
  await tx.$executeRaw`SELECT 1 FROM deployment_requests WHERE id = ${requestId} FOR UPDATE`;
  const request = await tx.deploymentRequest.findUniqueOrThrow({ where: { id: requestId }, include: { agent: true, version: true } });
  if (request.status !== "pending") throw conflict("request_closed", `This request was already ${request.status}`);
  return request;
}

/** A second admin approves: the deployment happens now, in the same transaction. The requester cannot approve. */
export async function approveDeploymentRequest(actor: Actor, meta: RequestMeta, requestId: string, raw: { note?: string } = {}) {
  requireAdmin(actor);
  const { note } = DecisionSchema.parse(raw);
  return inTransaction(async (tx) => {
    const request = await loadPending(tx, requestId);
    if (actor.type !== "user") throw new DomainError("forbidden", "forbidden", "Approvals are made by people");
    if (request.requestedById === actor.id) {
      throw new DomainError("forbidden", "self_approval", "You cannot approve your own request: another admin must");
    }
    if (request.agent.deployedVersionId === request.versionId) throw conflict("already_deployed", `Version ${request.version.number} is already live`);
    // Gates are checked again: evals may have changed since the request. The requester's override carries over.
    const failures = await gateFailures(tx, request.agent.environment, request.versionId, request.kind);
    if (failures.length && !request.gateOverride) {
      throw conflict("eval_gate_failed", describeGateFailures(request.version.number, request.agent.environment, failures), { environment: request.agent.environment, suites: failures });
    }
    const deployment = await performDeployment(tx, actor, meta, request.agent, request.version, request.kind, request.reason, { requestedById: request.requestedById, approvedById: actor.id }, failures);
    const decided = await tx.deploymentRequest.update({
      where: { id: requestId },
      data: { status: "approved", decidedById: actor.id, decidedAt: new Date(), decisionNote: note ?? null, deploymentId: deployment.id },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "deployment.approved",
      targetType: "deployment_request",
      targetId: requestId,
      agentId: request.agentId,
      teamId: request.agent.teamId,
      before: { status: "pending" },
      after: { status: "approved", deploymentId: deployment.id, version: request.version.number },
      reason: note ?? null,
    });
    return decided;
  });
}

/** Any admin can reject a pending request (the requester withdraws it this way). */
export async function rejectDeploymentRequest(actor: Actor, meta: RequestMeta, requestId: string, raw: { note?: string } = {}) {
  requireAdmin(actor);
  const { note } = DecisionSchema.parse(raw);
  return inTransaction(async (tx) => {
    const request = await loadPending(tx, requestId);
    const decided = await tx.deploymentRequest.update({
      where: { id: requestId },
      data: { status: "rejected", decidedById: actor.id, decidedAt: new Date(), decisionNote: note ?? null },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "deployment.rejected",
      targetType: "deployment_request",
      targetId: requestId,
      agentId: request.agentId,
      teamId: request.agent.teamId,
      before: { status: "pending" },
      after: { status: "rejected", version: request.version.number },
      reason: note ?? null,
    });
    return decided;
  });
}
