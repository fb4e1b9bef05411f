import { getAgent } from "@/lib/domain/agents/queries";
import { applyRuleTemplate } from "@/lib/domain/permissions/apply-rule-template";
import { RULE_TEMPLATES } from "@/lib/domain/permissions/templates";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async () => ({
  items: Object.entries(RULE_TEMPLATES).map(([id, t]) => ({ id, ...t })),
}));

export const POST = personRoute({ status: 201 }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return {
    items: await applyRuleTemplate(actor, meta, agent.id, String((body as { template?: unknown })?.template ?? "")),
  };
});
