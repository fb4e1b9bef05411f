import { getAgent } from "@/lib/domain/agents/queries";
import { SuspendSchema, suspendAgent } from "@/lib/domain/agents/set-agent-status";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM, AgentSchema, agentView } from "../../view";

export const POST = personRoute(
  {
    tags: ["agents"],
    summary: "Kill switch: suspend the agent",
    params: AGENT_PARAM,
    body: SuspendSchema,
    response: AgentSchema,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return agentView(await suspendAgent(actor, meta, agent.id, body));
  },
);
