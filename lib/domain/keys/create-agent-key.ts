import "server-only";
import { newToken } from "@/lib/auth/tokens";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockLiveAgent } from "../locks";
import { requireFreshProof, tokensStillIssue } from "../users/fresh-proof";
import { CreateAgentKeySchema, keyView } from "./schemas";

export async function insertAgentKey(
  tx: Tx,
  actor: Actor,
  agentId: string,
  name: string,
  expiresInDays: number | null,
) {
  const { token, prefix, hash } = newToken("ak");
  const key = await tx.agentKey.create({
    data: {
      agentId,
      name,
      prefix,
      hash,
      createdById: actor.type === "user" ? actor.id : null,
      expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
    },
  });
  return { key, token };
}

/**
 * Issues a key for an agent runtime. The secret is returned once; only its hash is stored. A key outlives the session
 * that issues it: fresh proof (requireFreshProof), as for a token.
 */
export async function createAgentKey(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor);
  const input = CreateAgentKeySchema.parse(raw);
  await requireFreshProof(actor, meta, input.currentPassword, "issue a key");
  return inTransaction(async (tx) => {
    await tokensStillIssue(tx, actor, "issue a key");
    const agent = await lockLiveAgent(tx, agentId);
    const { key, token } = await insertAgentKey(tx, actor, agentId, input.name, input.expiresInDays);
    await writeAuditEvent(tx, actor, meta, {
      action: "key.created",
      targetType: "agent_key",
      targetId: key.id,
      agentId,
      teamId: agent.teamId,
      after: keyView(key),
    });
    return { ...keyView(key), token };
  });
}
