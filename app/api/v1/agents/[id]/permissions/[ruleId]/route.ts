import { z } from "zod";
import { getAgent } from "@/lib/domain/agents/queries";
import { deletePermissionRule } from "@/lib/domain/permissions/delete-permission-rule";
import { PermissionRuleInputSchema, PermissionRuleSchema } from "@/lib/domain/permissions/schemas";
import { updatePermissionRule } from "@/lib/domain/permissions/update-permission-rule";
import { personRoute } from "@/lib/http/route";
import { RULE_PARAMS } from "../../../view";

export const PATCH = personRoute(
  {
    tags: ["permissions"],
    summary: "Replace a rule's effect, patterns and conditions",
    params: RULE_PARAMS,
    body: PermissionRuleInputSchema,
    response: PermissionRuleSchema,
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    return updatePermissionRule(actor, meta, agent.id, params.ruleId, body);
  },
);

export const DELETE = personRoute(
  {
    tags: ["permissions"],
    summary: "Delete a rule (later rules move up)",
    params: RULE_PARAMS,
    response: z.object({ deleted: z.string().meta({ description: "The deleted rule's id" }) }),
  },
  async ({ actor, params, meta }) => {
    const agent = await getAgent(actor, params.id);
    return deletePermissionRule(actor, meta, agent.id, params.ruleId);
  },
);
