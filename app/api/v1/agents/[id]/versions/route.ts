import { db } from "@/lib/db/client";
import { getAgent } from "@/lib/domain/agents/queries";
import { createAgentVersion } from "@/lib/domain/versions/create-agent-version";
import type { VersionInput } from "@/lib/domain/versions/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => {
  const agent = await getAgent(actor, params.id);
  const versions = await db().agentVersion.findMany({ where: { agentId: agent.id }, orderBy: { number: "desc" } });
  return { items: versions.map((v) => ({ ...v, deployed: v.id === agent.deployedVersionId })) };
});

export const POST = personRoute({ status: 201 }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return createAgentVersion(actor, meta, agent.id, body as VersionInput);
});
