import { z } from "zod";
import { getAgent } from "@/lib/domain/agents/queries";
import { getCanary } from "@/lib/domain/canaries/queries";
import { CanarySchema, StartCanarySchema } from "@/lib/domain/canaries/schemas";
import { startCanary } from "@/lib/domain/canaries/start-canary";
import { personRoute } from "@/lib/http/route";
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
      "409 canary_conflict (one at a time; a deployed version first), eval_gate_failed, four_eyes_required (an environment that needs a second admin: request a deployment instead).",
    params: AGENT_PARAM,
    body: StartCanarySchema,
    status: 201,
    response: z.object({ id: z.string(), versionNumber: z.number().int(), percent: z.number().int() }),
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    const c = await startCanary(actor, meta, agent.id, body);
    return { id: c.id, versionNumber: c.versionNumber, percent: c.percent };
  },
);
