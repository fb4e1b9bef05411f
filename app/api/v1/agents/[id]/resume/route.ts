import { getAgent } from "@/lib/domain/agents/queries";
import { resumeAgent } from "@/lib/domain/agents/set-agent-status";
import { personRoute } from "@/lib/http/route";
import { agentView } from "../../view";

export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return agentView(await resumeAgent(actor, meta, agent.id, body as { reason?: string }));
});
