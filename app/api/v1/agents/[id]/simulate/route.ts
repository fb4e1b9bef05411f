import type { SimulateRequest } from "@/lib/domain/decisions/schemas";
import { simulateDecision } from "@/lib/domain/decisions/simulate-decision";
import { personRoute } from "@/lib/http/route";

/** Read-only: what the runtime would be told. Any person who can see the agent may ask. */
export const POST = personRoute({}, async ({ actor, params, body }) =>
  simulateDecision(actor, params.id, body as SimulateRequest),
);
