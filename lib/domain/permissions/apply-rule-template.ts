import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { invalid } from "../errors";
import { appendRules } from "./add-permission-rule";
import { ApplyTemplateSchema, PermissionRuleInputSchema } from "./schemas";
import { RULE_TEMPLATES, type RuleTemplateId } from "./templates";

/** Appends a template's rules to the agent's list, all or nothing, each audited with the template's name. */
export async function applyRuleTemplate(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor);
  const { template: templateId } = ApplyTemplateSchema.parse(raw ?? {});
  const template = RULE_TEMPLATES[templateId as RuleTemplateId];
  if (!Object.hasOwn(RULE_TEMPLATES, templateId))
    throw invalid("Unknown template", { template: [`one of ${Object.keys(RULE_TEMPLATES).join(", ")}`] });
  const inputs = template.rules.map((r) => PermissionRuleInputSchema.parse(r));
  return inTransaction((tx) => appendRules(tx, actor, meta, agentId, inputs, `template: ${template.name}`));
}
