import { z } from "zod";
import { inTransaction } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid, notFound } from "../errors";

export const DeployInputSchema = z.object({
  versionNumber: z.number().int().positive(),
  reason: z.string().trim().max(1000).default(""),
});
export type DeployInput = z.input<typeof DeployInputSchema>;

/** Makes a version the live one. Deploying an older version than the live one is a rollback and needs a reason. */
export async function deployAgentVersion(actor: Actor, meta: RequestMeta, agentId: string, raw: DeployInput) {
  requireAdmin(actor);
  const input = DeployInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: agentId }, include: { deployedVersion: true } });
    if (!agent) throw notFound("Agent");
    const version = await tx.agentVersion.findUnique({ where: { agentId_number: { agentId, number: input.versionNumber } } });
    if (!version) throw notFound(`Version ${input.versionNumber}`);
    const kind = agent.deployedVersion && version.number < agent.deployedVersion.number ? "rollback" : "deploy";
    if (kind === "rollback" && !input.reason) throw invalid("A rollback needs a reason", { reason: ["required for a rollback"] });
    const deployment = await tx.deployment.create({
      data: { agentId, versionId: version.id, kind, reason: input.reason, deployedById: actor.type === "user" ? actor.id : null },
    });
    await tx.agent.update({ where: { id: agentId }, data: { deployedVersionId: version.id } });
    await writeAuditEvent(tx, actor, meta, {
      action: kind === "rollback" ? "deployment.rolled_back" : "deployment.created",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      before: { deployedVersion: agent.deployedVersion?.number ?? null },
      after: { deployedVersion: version.number, deploymentId: deployment.id },
      reason: input.reason || null,
    });
    return deployment;
  });
}
