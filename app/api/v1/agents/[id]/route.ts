import { getAgent } from "@/lib/domain/agents/queries";
import { UpdateAgentSchema } from "@/lib/domain/agents/schemas";
import { updateAgent } from "@/lib/domain/agents/update-agent";
import { budgetStatusByAgent } from "@/lib/domain/budgets/queries";
import { personRoute, reply } from "@/lib/http/route";
import { AGENT_PARAM, AgentSchema, agentView } from "../view";

export const GET = personRoute(
  { tags: ["agents"], summary: "One agent", params: AGENT_PARAM, response: AgentSchema },
  async ({ actor, params }) => {
    const agent = await getAgent(actor, params.id);
    const status = await budgetStatusByAgent(actor, [agent]);
    return agentView({ ...agent, budgetStatus: status.get(agent.id) ?? null });
  },
);

export const PATCH = personRoute(
  {
    tags: ["agents"],
    summary: "Edit an agent's metadata",
    description:
      "Moving an agent with a live version puts that version live in the new environment: it must have passed that " +
      "environment's required eval suites (409 `eval_gate_failed`) unless `overrideGates` is set with a `reason`.",
    params: AGENT_PARAM,
    body: UpdateAgentSchema,
    response: AgentSchema,
    errors: [409],
    otherResponses: {
      202: {
        description: "Moving an agent with a live version into a four-eyes environment waits for a second admin",
        content: { "application/json": AgentSchema },
      },
    },
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id); // 404 for agents outside the actor's scope
    const updated = await updateAgent(actor, meta, agent.id, body);
    // 202: the environment move waits for a second admin (the other fields were saved).
    return reply(updated.pendingChange ? 202 : 200, agentView(updated));
  },
);
