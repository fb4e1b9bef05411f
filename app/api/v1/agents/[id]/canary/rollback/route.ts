import { z } from "zod";
import { getAgent } from "@/lib/domain/agents/queries";
import { rollBackCanary } from "@/lib/domain/canaries/end-canary";
import { EndCanarySchema } from "@/lib/domain/canaries/schemas";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../../view";

export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Roll the running canary back: every routing key gets the stable version again (audited, webhook)",
    params: AGENT_PARAM,
    body: EndCanarySchema,
    response: z.object({ id: z.string(), status: z.string() }),
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    const c = await rollBackCanary(actor, meta, agent.id, body);
    return { id: c.id, status: c.status };
  },
);
