import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";

export async function listVersions(actor: Actor, agentIdOrSlug: string) {
  const agent = await getAgent(actor, agentIdOrSlug);
  const versions = await db().agentVersion.findMany({ where: { agentId: agent.id }, orderBy: { number: "desc" } });
  return versions.map((v) => ({ ...v, deployed: v.id === agent.deployedVersionId }));
}

export async function listDeployments(actor: Actor, agentIdOrSlug: string) {
  const agent = await getAgent(actor, agentIdOrSlug);
  const items = await db().deployment.findMany({
    where: { agentId: agent.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    include: { version: { select: { number: true } } },
  });
  return items.map(({ version, ...d }) => ({ ...d, versionNumber: version.number }));
}
