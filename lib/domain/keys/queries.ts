import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { keyView } from "./schemas";

export async function listAgentKeys(actor: Actor, agentIdOrSlug: string) {
  const agent = await getAgent(actor, agentIdOrSlug);
  const keys = await db().agentKey.findMany({ where: { agentId: agent.id }, orderBy: { createdAt: "desc" } });
  return keys.map(keyView);
}
