import { listAgents } from "@/lib/domain/agents/queries";
import { registerAgent } from "@/lib/domain/agents/register-agent";
import { ListAgentsQuerySchema, type RegisterAgentInput } from "@/lib/domain/agents/schemas";
import { personRoute } from "@/lib/http/route";
import { agentView } from "./view";

export const GET = personRoute({ query: ListAgentsQuerySchema }, async ({ actor, query }) => {
  const { items, nextCursor } = await listAgents(actor, query);
  return { items: items.map(agentView), nextCursor };
});

export const POST = personRoute({ status: 201 }, async ({ actor, body, meta }) =>
  agentView(await registerAgent(actor, meta, body as RegisterAgentInput)),
);
