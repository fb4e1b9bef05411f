import { getAgent } from "@/lib/domain/agents/queries";
import { rotateAgentKey } from "@/lib/domain/keys/rotate-agent-key";
import { RotateAgentKeySchema, RotatedAgentKeySchema } from "@/lib/domain/keys/schemas";
import { personRoute } from "@/lib/http/route";
import { KEY_PARAMS } from "../../../../view";

export const POST = personRoute(
  {
    tags: ["keys"],
    summary: "Rotate: a new key now, the old one for a grace period",
    params: KEY_PARAMS,
    body: RotateAgentKeySchema,
    response: RotatedAgentKeySchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return rotateAgentKey(actor, meta, agent.id, params.keyId, body);
  },
);
