import { z } from "zod";
import { agentRulesAsCedar } from "@/lib/domain/permissions/queries";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../../view";

export const GET = personRoute(
  {
    tags: ["permissions"],
    summary: "The agent's rules as a Cedar policy set (permit/forbid; forbid wins as deny wins)",
    description:
      'One policy per rule, `@id("rule-<position>")`, over a context of `action`, `resource`, `estimatedMicros`, `clock[<time zone>]` and `tool` (see the README). Cedar gives the same decision as the evaluator; a `?` in a pattern is exported as `*` and marked `@inexact`.',
    params: AGENT_PARAM,
    response: { description: "A Cedar policy set", content: { "text/plain": z.string() } },
  },
  async ({ actor, params }) => {
    const { slug, policies } = await agentRulesAsCedar(actor, params.id);
    return new Response(policies, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${slug}.cedar"`,
      },
    });
  },
);
