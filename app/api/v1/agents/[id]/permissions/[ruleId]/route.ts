import { getAgent } from "@/lib/domain/agents/queries";
import { deletePermissionRule } from "@/lib/domain/permissions/delete-permission-rule";
import type { PermissionRuleInput } from "@/lib/domain/permissions/schemas";
import { updatePermissionRule } from "@/lib/domain/permissions/update-permission-rule";
import { personRoute } from "@/lib/http/route";

export const PATCH = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return updatePermissionRule(actor, meta, agent.id, params.ruleId, body as PermissionRuleInput);
});

export const DELETE = personRoute({}, async ({ actor, params, meta }) => {
  const agent = await getAgent(actor, params.id);
  return deletePermissionRule(actor, meta, agent.id, params.ruleId);
});
