import { listAgents } from "@/lib/domain/agents/queries";
import { registerAgent } from "@/lib/domain/agents/register-agent";
import { ListAgentsQuerySchema, RegisterAgentSchema } from "@/lib/domain/agents/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { AgentSchema, agentView } from "./view";

export const GET = personRoute(
  {
    tags: ["agents"],
    summary: "List agents (keyset pagination)",
    query: ListAgentsQuerySchema,
    response: pageOf(AgentSchema),
  },
  async ({ actor, query }) => {
    const { items, nextCursor } = await listAgents(actor, query);
    return { items: items.map(agentView), nextCursor };
  },
);

export const POST = personRoute(
  {
    tags: ["agents"],
    summary: "Register an agent with its config as version 1",
    description:
      "In a four-eyes environment version 1 waits for a second admin (`pendingChange`). In an environment that requires eval suites it is not deployed until they pass (`gateFailures` lists what is missing; `deployedVersion` is null).",
    body: RegisterAgentSchema,
    response: AgentSchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, body, meta }) => agentView(await registerAgent(actor, meta, body)),
);
