import { z } from "zod";
import { getAgent } from "@/lib/domain/agents/queries";
import { getCanary } from "@/lib/domain/canaries/queries";
import { CanarySchema, CanaryStartedSchema, StartCanarySchema } from "@/lib/domain/canaries/schemas";
import { startCanary } from "@/lib/domain/canaries/start-canary";
import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { personRoute, reply } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["versions"],
    summary: "The running canary with its live comparison to stable, else the latest one and what it ended on",
    params: AGENT_PARAM,
    response: z.object({ canary: CanarySchema.nullable() }),
  },
  async ({ actor, params }) => ({ canary: await getCanary(actor, params.id) }),
);

export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Start a canary: a version served to a share of routing keys, rolled back when its guard is breached",
    description:
      "201 when started; 202 when the environment requires four-eyes: a change request opens and the canary starts when another admin approves it (checked again then). 409 canary_conflict (one at a time; a deployed version first), already_deployed, eval_gate_failed.",
    params: AGENT_PARAM,
    body: StartCanarySchema,
    status: 201,
    response: CanaryStartedSchema,
    otherResponses: {
      202: {
        description: "Four-eyes: a pending change request was created",
        content: { "application/json": PendingChangeSchema },
      },
    },
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    const result = await startCanary(actor, meta, agent.id, body);
    return reply(result.status === "started" ? 201 : 202, result);
  },
);
