import type { Tx } from "@/lib/db/tx";
import { notFound } from "../errors";

/**
 * Locks the agent's row for the rest of the transaction, so concurrent edits of one agent's rule list
 * (append, move, delete, renumber) queue instead of handing out the same position twice.
 */
export async function lockAgentRules(tx: Tx, agentId: string): Promise<{ id: string; teamId: string }> {
  const [agent] = await tx.$queryRaw<
    { id: string; teamId: string }[]
  >`SELECT id, "teamId" FROM agents WHERE id = ${agentId} FOR UPDATE`;
  if (!agent) throw notFound("Agent");
  return agent;
}

export async function findRule(tx: Tx, agentId: string, ruleId: string) {
  const rule = await tx.permissionRule.findFirst({ where: { id: ruleId, agentId } });
  if (!rule) throw notFound("Permission rule");
  return rule;
}
