import { getAgent } from "@/lib/domain/agents/queries";
import { addPermissionRule } from "@/lib/domain/permissions/add-permission-rule";
import { listRules } from "@/lib/domain/permissions/queries";
import type { PermissionRuleInput } from "@/lib/domain/permissions/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => ({ items: await listRules(actor, params.id) }));

export const POST = personRoute({ status: 201 }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return addPermissionRule(actor, meta, agent.id, body as PermissionRuleInput);
});
