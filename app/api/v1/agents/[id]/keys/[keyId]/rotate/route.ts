import { getAgent } from "@/lib/domain/agents/queries";
import { rotateAgentKey } from "@/lib/domain/keys/rotate-agent-key";
import type { RotateAgentKeyInput } from "@/lib/domain/keys/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({ status: 201 }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return rotateAgentKey(actor, meta, agent.id, params.keyId, body as RotateAgentKeyInput);
});
