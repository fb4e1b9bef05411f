import type { RuleView } from "@/components/permissions/rule-form";
import { type RuleActions, RulesEditor } from "@/components/permissions/rules-editor";
import { Simulator } from "@/components/permissions/simulator";
import { type Actor, isAdmin } from "@/lib/domain/actor";
import { microsToUsd } from "@/lib/domain/money";
import { agentRules } from "@/lib/domain/permissions/queries";
import { RULE_TEMPLATES } from "@/lib/domain/permissions/templates";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import {
  addRuleAction,
  applyTemplateAction,
  deleteRuleAction,
  moveRuleAction,
  simulateAction,
  updateRuleAction,
} from "../permission-actions";

/** The Permissions tab: the ordered rules (edited here by admins) and the decision simulator. */
export async function PermissionsTab({ agent, actor }: { agent: { id: string; slug: string }; actor: Actor }) {
  const rules = await agentRules(agent);
  const tz = await consoleTimeZone();
  const views: RuleView[] = rules.map((r) => ({
    id: r.id,
    position: r.position,
    effect: r.effect,
    action: r.action,
    resource: r.resource,
    maxCostUsd: r.maxCostMicros == null ? null : microsToUsd(r.maxCostMicros),
    allowedHours: (r.allowedHours as RuleView["allowedHours"]) ?? null,
    requiresApproval: r.requiresApproval,
    approvalTimeoutMinutes: r.approvalTimeoutMinutes,
    toolAnnotation: r.toolAnnotation,
    description: r.description,
  }));
  const { id, slug } = agent;
  const actions: RuleActions | undefined = isAdmin(actor)
    ? {
        add: addRuleAction.bind(null, id, slug),
        applyTemplate: applyTemplateAction.bind(null, id, slug),
        perRule: Object.fromEntries(
          views.map((r) => [
            r.id,
            {
              update: updateRuleAction.bind(null, id, slug, r.id),
              remove: deleteRuleAction.bind(null, id, slug, r.id),
              up: moveRuleAction.bind(null, id, slug, r.id, "up"),
              down: moveRuleAction.bind(null, id, slug, r.id, "down"),
            },
          ]),
        ),
      }
    : undefined;
  const templates = Object.entries(RULE_TEMPLATES).map(([id, t]) => ({ id, name: t.name, description: t.description }));
  return (
    <div className="space-y-4">
      <RulesEditor rules={views} actions={actions} templates={templates} />
      <Simulator action={simulateAction.bind(null, agent.id)} rules={views} timeZone={tz} />
    </div>
  );
}
