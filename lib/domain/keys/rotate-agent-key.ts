import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { requireFreshProof, tokensStillIssue } from "../users/fresh-proof";
import { insertAgentKey } from "./create-agent-key";
import { keyView, RotateAgentKeySchema } from "./schemas";

/** Issues a replacement key that works at once; the old key keeps working for the grace period, then stops. */
export async function rotateAgentKey(actor: Actor, meta: RequestMeta, agentId: string, keyId: string, raw: unknown) {
  requireAdmin(actor);
  const input = RotateAgentKeySchema.parse(raw);
  await rotatable(db(), agentId, keyId); // before the admin is asked for their password
  await requireFreshProof(actor, meta, input.currentPassword, "rotate a key");
  return inTransaction(async (tx) => {
    await tokensStillIssue(tx, actor, "rotate a key");
    const old = await rotatable(tx, agentId, keyId);
    const now = new Date();
    const { key, token } = await insertAgentKey(tx, actor, agentId, old.name, input.expiresInDays);
    const graceEnd = new Date(now.getTime() + input.graceMinutes * 60_000);
    const retired = await tx.agentKey.update({
      where: { id: old.id },
      data: { rotatedToId: key.id, expiresAt: old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "key.rotated",
      targetType: "agent_key",
      targetId: old.id,
      agentId,
      teamId: old.agent.teamId,
      before: keyView(old),
      after: { old: keyView(retired), new: keyView(key), graceMinutes: input.graceMinutes },
    });
    return { ...keyView(key), token, previous: keyView(retired) };
  });
}

/** The key, if it is one of this agent's, active and not rotated yet. */
async function rotatable(reader: Pick<Tx, "agentKey">, agentId: string, keyId: string) {
  const key = await reader.agentKey.findFirst({
    where: { id: keyId, agentId },
    include: { agent: { select: { teamId: true } } },
  });
  if (!key) throw notFound("Key");
  if (key.revokedAt || (key.expiresAt && key.expiresAt <= new Date()) || key.rotatedToId)
    throw conflict("key_inactive", "Only an active key that was not rotated yet can be rotated");
  return key;
}
