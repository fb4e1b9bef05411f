import { getAgent } from "@/lib/domain/agents/queries";
import { createAgentVersion } from "@/lib/domain/versions/create-agent-version";
import { listVersions } from "@/lib/domain/versions/queries";
import type { VersionInput } from "@/lib/domain/versions/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => ({ items: await listVersions(actor, params.id) }));

export const POST = personRoute({ status: 201 }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return createAgentVersion(actor, meta, agent.id, body as VersionInput);
});
