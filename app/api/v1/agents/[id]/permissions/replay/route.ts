import { replayRuleChange } from "@/lib/domain/permissions/replay";
import { ReplayRequestSchema, ReplayResultSchema } from "@/lib/domain/permissions/replay-schemas";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../../view";

/** Read-only: what a draft rule change would have done to the agent's recorded calls. */
export const POST = personRoute(
  {
    tags: ["permissions"],
    summary: "Replay a draft rule change against the agent's recorded decisions, writing nothing",
    description:
      "Each decision recorded in the window (default the last 7 days, at most 90) is decided by the rules in force and by the rules with the change applied: the calls that would flip, by transition and by action and resource, with the recorded usage cost behind them.",
    params: AGENT_PARAM,
    body: ReplayRequestSchema,
    response: ReplayResultSchema,
  },
  async ({ actor, params, body }) => replayRuleChange(actor, params.id, body),
);
