import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { keyView } from "./schemas";

export async function listAgentKeys(actor: Actor, agentIdOrSlug: string) {
  return agentKeys(await getAgent(actor, agentIdOrSlug));
}

/** The keys of an agent already read with getAgent (so the actor may see it), newest first. */
export async function agentKeys(agent: { id: string }) {
  const keys = await db().agentKey.findMany({ where: { agentId: agent.id }, orderBy: { createdAt: "desc" } });
  return keys.map(keyView);
}
