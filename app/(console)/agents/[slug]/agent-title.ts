import type { Metadata } from "next";
import { requireSessionActor } from "@/lib/auth/session";
import { getAgent } from "@/lib/domain/agents/queries";

/**
 * The tab title of an agent's pages names the agent: "Support triage · Agent Control Plane", "Edit · Support triage
 * · Agent Control Plane". A missing agent reads "Not found", like the 404 the page answers.
 */
export async function agentTitle(params: Promise<{ slug: string }>, page?: string): Promise<Metadata> {
  const actor = await requireSessionActor();
  const agent = await getAgent(actor, (await params).slug).catch(() => null);
  if (!agent) return { title: "Not found" };
  return { title: page ? `${page} · ${agent.name}` : agent.name };
}
