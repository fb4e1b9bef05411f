import "server-only";
import type { Tx } from "@/lib/db/tx";
import { notFound } from "../errors";

/** One of the agent's rules, or 404. */
export async function findRule(tx: Tx, agentId: string, ruleId: string) {
  const rule = await tx.permissionRule.findFirst({ where: { id: ruleId, agentId } });
  if (!rule) throw notFound("Permission rule");
  return rule;
}
