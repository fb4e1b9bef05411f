import { getAgent } from "@/lib/domain/agents/queries";
import { createAgentVersion } from "@/lib/domain/versions/create-agent-version";
import { listVersions } from "@/lib/domain/versions/queries";
import { VersionInputSchema, VersionSchema } from "@/lib/domain/versions/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["versions"],
    summary: "Every version, newest first",
    params: AGENT_PARAM,
    response: itemsOf(VersionSchema),
  },
  async ({ actor, params }) => ({ items: await listVersions(actor, params.id) }),
);

export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Create the next immutable version (not deployed)",
    params: AGENT_PARAM,
    body: VersionInputSchema,
    response: VersionSchema,
    status: 201,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return createAgentVersion(actor, meta, agent.id, body);
  },
);
