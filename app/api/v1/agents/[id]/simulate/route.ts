import { SimulateRequestSchema, SimulationSchema } from "@/lib/domain/decisions/schemas";
import { simulateDecision } from "@/lib/domain/decisions/simulate-decision";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

/** Read-only: what the runtime would be told. Any person who can see the agent may ask. */
export const POST = personRoute(
  {
    tags: ["permissions"],
    summary: "Decision simulator: what authorize would answer, writing nothing",
    description: "The decision, the deciding rule or budget, and why the other rules did not match.",
    params: AGENT_PARAM,
    body: SimulateRequestSchema,
    response: SimulationSchema,
  },
  async ({ actor, params, body }) => simulateDecision(actor, params.id, body),
);
