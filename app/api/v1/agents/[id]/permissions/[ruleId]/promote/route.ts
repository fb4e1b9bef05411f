import { getAgent } from "@/lib/domain/agents/queries";
import { promoteShadowRule } from "@/lib/domain/permissions/promote-shadow-rule";
import { PermissionRuleSchema } from "@/lib/domain/permissions/schemas";
import { personRoute } from "@/lib/http/route";
import { RULE_PARAMS } from "../../../../view";

export const POST = personRoute(
  {
    tags: ["permissions"],
    summary: "Enforce a shadow rule where it stands (audited with what it would have done over the last 7 days)",
    params: RULE_PARAMS,
    response: PermissionRuleSchema,
  },
  async ({ actor, params, meta }) => {
    const agent = await getAgent(actor, params.id);
    return promoteShadowRule(actor, meta, agent.id, params.ruleId);
  },
);
