import { getAgent } from "@/lib/domain/agents/queries";
import { promoteCanary } from "@/lib/domain/canaries/promote-canary";
import { EndCanarySchema } from "@/lib/domain/canaries/schemas";
import { DeployResultSchema, PendingDeployResultSchema } from "@/lib/domain/changes/schemas";
import { personRoute, reply } from "@/lib/http/route";
import { AGENT_PARAM } from "../../../view";

/** 201 when deployed; 202 when the environment requires four-eyes approval (the canary runs until it is decided). */
export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Promote the running canary: deploy its version to everyone (eval gates and four-eyes apply)",
    params: AGENT_PARAM,
    body: EndCanarySchema,
    status: 201,
    response: DeployResultSchema,
    otherResponses: {
      202: {
        description: "Four-eyes: a pending deployment request was created",
        content: { "application/json": PendingDeployResultSchema },
      },
    },
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    const result = await promoteCanary(actor, meta, agent.id, body);
    return reply(result.status === "deployed" ? 201 : 202, result);
  },
);
