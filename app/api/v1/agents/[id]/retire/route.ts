import { getAgent } from "@/lib/domain/agents/queries";
import { RetireSchema, retireAgent } from "@/lib/domain/agents/retire-agent";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM, AgentSchema, agentView } from "../../view";

export const POST = personRoute(
  {
    tags: ["agents"],
    summary: "Retire for good: keys revoked, pending deployment requests rejected, cannot be resumed",
    description: "409 agent_retired when it already is.",
    params: AGENT_PARAM,
    body: RetireSchema,
    response: AgentSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return agentView(await retireAgent(actor, meta, agent.id, body));
  },
);
