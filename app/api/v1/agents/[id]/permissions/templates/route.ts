import { getAgent } from "@/lib/domain/agents/queries";
import { applyRuleTemplate } from "@/lib/domain/permissions/apply-rule-template";
import { ApplyTemplateSchema, PermissionRuleSchema, RuleTemplateSchema } from "@/lib/domain/permissions/schemas";
import { RULE_TEMPLATES } from "@/lib/domain/permissions/templates";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../../view";

export const GET = personRoute(
  { tags: ["permissions"], summary: "Rule templates", params: AGENT_PARAM, response: itemsOf(RuleTemplateSchema) },
  async () => ({ items: Object.entries(RULE_TEMPLATES).map(([id, t]) => ({ id, ...t })) }),
);

export const POST = personRoute(
  {
    tags: ["permissions"],
    summary: "Append a template's rules",
    params: AGENT_PARAM,
    body: ApplyTemplateSchema,
    response: itemsOf(PermissionRuleSchema),
    status: 201,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return { items: await applyRuleTemplate(actor, meta, agent.id, body) };
  },
);
