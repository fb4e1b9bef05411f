import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockLiveAgent } from "../locks";
import { VersionInputSchema } from "./schemas";

/** Inserts the next immutable version of an agent (inside the caller's transaction). */
export async function insertVersion(tx: Tx, agentId: string, createdById: string | null, raw: unknown) {
  const input = VersionInputSchema.parse(raw);
  const last = await tx.agentVersion.findFirst({
    where: { agentId },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  return tx.agentVersion.create({
    data: {
      agentId,
      number: (last?.number ?? 0) + 1,
      model: input.model,
      fallbackModel: input.fallbackModel,
      systemPrompt: input.systemPrompt,
      tools: input.tools,
      parameters: input.parameters as never,
      extra: input.extra as never,
      note: input.note,
      createdById,
    },
  });
}

export async function createAgentVersion(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor);
  VersionInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    // Lock the agent row so two concurrent creators cannot take the same number (and a retirement waits).
    await lockLiveAgent(tx, agentId, "update");
    const agent = await tx.agent.findUniqueOrThrow({ where: { id: agentId } });
    const version = await insertVersion(tx, agentId, actor.type === "user" ? actor.id : null, raw);
    await writeAuditEvent(tx, actor, meta, {
      action: "version.created",
      targetType: "agent_version",
      targetId: version.id,
      agentId,
      teamId: agent.teamId,
      after: version,
    });
    return version;
  });
}
