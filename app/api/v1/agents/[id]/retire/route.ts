import { getAgent } from "@/lib/domain/agents/queries";
import { retireAgent } from "@/lib/domain/agents/retire-agent";
import { personRoute } from "@/lib/http/route";
import { agentView } from "../../view";

export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return agentView(await retireAgent(actor, meta, agent.id, body as { reason: string }));
});
