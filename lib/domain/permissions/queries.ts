import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";

export async function listRules(actor: Actor, agentIdOrSlug: string) {
  return agentRules(await getAgent(actor, agentIdOrSlug));
}

/** The permission rules of an agent already read with getAgent (so the actor may see it), in evaluation order. */
export function agentRules(agent: { id: string }) {
  return db().permissionRule.findMany({ where: { agentId: agent.id }, orderBy: { position: "asc" } });
}
