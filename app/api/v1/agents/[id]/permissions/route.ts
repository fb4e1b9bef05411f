import { getAgent } from "@/lib/domain/agents/queries";
import { addPermissionRule } from "@/lib/domain/permissions/add-permission-rule";
import { listRules } from "@/lib/domain/permissions/queries";
import { PermissionRuleInputSchema, PermissionRuleSchema } from "@/lib/domain/permissions/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["permissions"],
    summary: "The agent's rules, in order",
    params: AGENT_PARAM,
    response: itemsOf(PermissionRuleSchema),
  },
  async ({ actor, params }) => ({ items: await listRules(actor, params.id) }),
);

export const POST = personRoute(
  {
    tags: ["permissions"],
    summary: "Append a rule",
    params: AGENT_PARAM,
    body: PermissionRuleInputSchema,
    response: PermissionRuleSchema,
    status: 201,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return addPermissionRule(actor, meta, agent.id, body);
  },
);
