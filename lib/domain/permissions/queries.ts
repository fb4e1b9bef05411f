import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";

export async function listRules(actor: Actor, agentIdOrSlug: string) {
  const agent = await getAgent(actor, agentIdOrSlug);
  return db().permissionRule.findMany({ where: { agentId: agent.id }, orderBy: { position: "asc" } });
}
