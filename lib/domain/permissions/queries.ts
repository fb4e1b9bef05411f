import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { cedarPolicySet } from "./cedar";

export async function listRules(actor: Actor, agentIdOrSlug: string) {
  return agentRules(await getAgent(actor, agentIdOrSlug));
}

/** The permission rules of an agent already read with getAgent (so the actor may see it), in evaluation order. */
export function agentRules(agent: { id: string }) {
  return db().permissionRule.findMany({ where: { agentId: agent.id }, orderBy: { position: "asc" } });
}

/** An agent's rules as a Cedar policy set, for whoever may see the agent. */
export async function agentRulesAsCedar(actor: Actor, agentIdOrSlug: string) {
  const agent = await getAgent(actor, agentIdOrSlug);
  return { slug: agent.slug, policies: cedarPolicySet(agent.slug, await agentRules(agent)) };
}
