import { getAgent } from "@/lib/domain/agents/queries";
import { movePermissionRule } from "@/lib/domain/permissions/move-permission-rule";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  return { items: await movePermissionRule(actor, meta, agent.id, params.ruleId, body as { direction: "up" }) };
});
