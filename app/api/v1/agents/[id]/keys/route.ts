import { getAgent } from "@/lib/domain/agents/queries";
import { createAgentKey } from "@/lib/domain/keys/create-agent-key";
import { listAgentKeys } from "@/lib/domain/keys/queries";
import { AgentKeySchema, CreateAgentKeySchema, NewAgentKeySchema } from "@/lib/domain/keys/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["keys"],
    summary: "The agent's keys (never their secrets)",
    params: AGENT_PARAM,
    response: itemsOf(AgentKeySchema),
  },
  async ({ actor, params }) => ({ items: await listAgentKeys(actor, params.id) }),
);

export const POST = personRoute(
  {
    tags: ["keys"],
    summary: "Issue a key (the secret is returned once)",
    params: AGENT_PARAM,
    body: CreateAgentKeySchema,
    response: NewAgentKeySchema,
    status: 201,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return createAgentKey(actor, meta, agent.id, body);
  },
);
