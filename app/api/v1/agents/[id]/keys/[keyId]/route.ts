import { getAgent } from "@/lib/domain/agents/queries";
import { revokeAgentKey } from "@/lib/domain/keys/revoke-agent-key";
import { AgentKeySchema } from "@/lib/domain/keys/schemas";
import { personRoute } from "@/lib/http/route";
import { KEY_PARAMS } from "../../../view";

export const DELETE = personRoute(
  { tags: ["keys"], summary: "Revoke a key at once", params: KEY_PARAMS, response: AgentKeySchema },
  async ({ actor, params, meta }) => {
    const agent = await getAgent(actor, params.id);
    return revokeAgentKey(actor, meta, agent.id, params.keyId);
  },
);
