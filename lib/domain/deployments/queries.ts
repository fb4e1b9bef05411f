import { db } from "@/lib/db/client";
import { readableTeamIds, requireAdmin, type Actor } from "../actor";

/** The approval queue, for the admins who decide it (as the README says); others see an agent's own on its page. */
export async function listDeploymentRequests(actor: Actor, status: "pending" | "approved" | "rejected") {
  requireAdmin(actor);
  const teams = readableTeamIds(actor);
  const items = await db().deploymentRequest.findMany({
    where: { status, ...(teams ? { agent: { teamId: { in: teams } } } : {}) },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { version: { select: { number: true } }, agent: { select: { slug: true } } },
  });
  return items.map(({ version, agent, ...r }) => ({ ...r, versionNumber: version.number, agentSlug: agent.slug }));
}
