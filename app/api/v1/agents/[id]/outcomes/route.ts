import { agentEconomics } from "@/lib/domain/outcomes/economics";
import { EconomicsQuerySchema, EconomicsSchema } from "@/lib/domain/outcomes/schemas";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["outcomes"],
    summary: "Unit economics: the agent's outcomes, success rate and cost per successful outcome over a period",
    description:
      "Default: the last 30 days; at most 400. `version` narrows to the outcomes and usage reported for that version (the compare page sets it).",
    params: AGENT_PARAM,
    domainQuery: EconomicsQuerySchema,
    response: EconomicsSchema,
  },
  async ({ actor, params, req }) => agentEconomics(actor, params.id, Object.fromEntries(req.nextUrl.searchParams)),
);
