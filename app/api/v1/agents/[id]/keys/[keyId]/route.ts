import { getAgent } from "@/lib/domain/agents/queries";
import { revokeAgentKey } from "@/lib/domain/keys/revoke-agent-key";
import { personRoute } from "@/lib/http/route";

export const DELETE = personRoute({}, async ({ actor, params, meta }) => {
  const agent = await getAgent(actor, params.id);
  return revokeAgentKey(actor, meta, agent.id, params.keyId);
});
