import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { keyView } from "./schemas";

/** Stops a key at once. Revoking a revoked key changes nothing. */
export async function revokeAgentKey(actor: Actor, meta: RequestMeta, agentId: string, keyId: string) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const key = await tx.agentKey.findFirst({
      where: { id: keyId, agentId },
      include: { agent: { select: { teamId: true } } },
    });
    if (!key) throw notFound("Key");
    if (key.revokedAt) return keyView(key);
    const revoked = await tx.agentKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
    await writeAuditEvent(tx, actor, meta, {
      action: "key.revoked",
      targetType: "agent_key",
      targetId: keyId,
      agentId,
      teamId: key.agent.teamId,
      before: keyView(key),
      after: keyView(revoked),
    });
    return keyView(revoked);
  });
}
