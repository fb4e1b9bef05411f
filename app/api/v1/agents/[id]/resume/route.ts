import { getAgent } from "@/lib/domain/agents/queries";
import { ResumeSchema, resumeAgent } from "@/lib/domain/agents/set-agent-status";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM, AgentSchema, agentView } from "../../view";

export const POST = personRoute(
  {
    tags: ["agents"],
    summary: "Resume a suspended agent",
    params: AGENT_PARAM,
    body: ResumeSchema,
    response: AgentSchema,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return agentView(await resumeAgent(actor, meta, agent.id, body));
  },
);
