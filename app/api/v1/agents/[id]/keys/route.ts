import { getAgent } from "@/lib/domain/agents/queries";
import { createAgentKey } from "@/lib/domain/keys/create-agent-key";
import { listAgentKeys } from "@/lib/domain/keys/queries";
import type { CreateAgentKeyInput } from "@/lib/domain/keys/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => ({ items: await listAgentKeys(actor, params.id) }));

export const POST = personRoute({ status: 201 }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return createAgentKey(actor, meta, agent.id, body as CreateAgentKeyInput);
});
