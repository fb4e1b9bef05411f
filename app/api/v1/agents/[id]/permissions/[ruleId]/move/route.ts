import { getAgent } from "@/lib/domain/agents/queries";
import { movePermissionRule } from "@/lib/domain/permissions/move-permission-rule";
import { MoveRuleSchema, PermissionRuleSchema } from "@/lib/domain/permissions/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { RULE_PARAMS } from "../../../../view";

export const POST = personRoute(
  {
    tags: ["permissions"],
    summary: "Swap a rule with its neighbour; answers the rules in their new order",
    params: RULE_PARAMS,
    body: MoveRuleSchema,
    response: itemsOf(PermissionRuleSchema),
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return { items: await movePermissionRule(actor, meta, agent.id, params.ruleId, body) };
  },
);
