import Link from "next/link";
import type { RuleView } from "@/components/permissions/rule-form";
import { type RuleActions, RulesEditor } from "@/components/permissions/rules-editor";
import { Simulator } from "@/components/permissions/simulator";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { type Actor, isAdmin } from "@/lib/domain/actor";
import { agentSkillAccess, type SkillAccess } from "@/lib/domain/agents/skill-access";
import { microsToUsd } from "@/lib/domain/money";
import { agentRules } from "@/lib/domain/permissions/queries";
import { shadowFigures } from "@/lib/domain/permissions/shadow";
import { RULE_TEMPLATES } from "@/lib/domain/permissions/templates";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { agentToolAccess, type ToolAccess } from "@/lib/domain/tools/queries";
import {
  addRuleAction,
  applyTemplateAction,
  deleteRuleAction,
  moveRuleAction,
  previewAddRuleAction,
  previewUpdateRuleAction,
  promoteRuleAction,
  setCatalogLimitAction,
  simulateAction,
  updateRuleAction,
} from "../permission-actions";

/** The Permissions tab: the ordered rules (edited here by admins) and the decision simulator. */
export async function PermissionsTab({
  agent,
  actor,
}: {
  agent: { id: string; slug: string; catalogToolsOnly: boolean };
  actor: Actor;
}) {
  const rules = await agentRules(agent);
  const tools = await agentToolAccess(rules);
  const skills = await agentSkillAccess(actor, agent, rules);
  const tz = await consoleTimeZone();
  const now = new Date();
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const shadowOf = new Map(
    await Promise.all(
      rules
        .filter((r) => r.mode === "shadow")
        .map(async (r) => [r.id, await shadowFigures(agent.id, r, weekAgo, now)] as const),
    ),
  );
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
    classification: r.classification,
    description: r.description,
    mode: r.mode,
    shadow: shadowOf.get(r.id),
  }));
  const { id, slug } = agent;
  const actions: RuleActions | undefined = isAdmin(actor)
    ? {
        add: addRuleAction.bind(null, id, slug),
        preview: previewAddRuleAction.bind(null, id),
        applyTemplate: applyTemplateAction.bind(null, id, slug),
        perRule: Object.fromEntries(
          views.map((r) => [
            r.id,
            {
              update: updateRuleAction.bind(null, id, slug, r.id),
              preview: previewUpdateRuleAction.bind(null, id, r.id),
              remove: deleteRuleAction.bind(null, id, slug, r.id),
              promote: promoteRuleAction.bind(null, id, slug, r.id),
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
      {views.length ? (
        <p className="text-right text-sm text-slate-500">
          The same rules in a standard policy language:{" "}
          <a
            href={`/api/v1/agents/${id}/permissions/cedar`}
            download={`${slug}.cedar`}
            className="font-medium text-indigo-600 hover:text-indigo-500"
          >
            download as Cedar
          </a>
        </p>
      ) : null}
      <ToolAccessCard agent={agent} tools={tools} admin={isAdmin(actor)} />
      {skills.length ? <SkillAccessCard skills={skills} /> : null}
      <Simulator action={simulateAction.bind(null, agent.id)} rules={views} timeZone={tz} />
    </div>
  );
}

const VERDICT = {
  allow: { tone: "green", label: "may use" },
  approval: { tone: "violet", label: "asks approval" },
  deny: { tone: "gray", label: "may not" },
  held: { tone: "amber", label: "held for review" },
  rejected: { tone: "red", label: "change rejected" },
} as const;

/** Which skills of peer agents (their A2A cards) this agent may send tasks to, by its rules now. */
function SkillAccessCard({ skills }: { skills: SkillAccess[] }) {
  return (
    <Card>
      <CardHeader
        title="Peer agents' skills (A2A)"
        description="Each skill another agent's card offers, as a2a:send on a2a:<agent>/<skill>, through these rules now."
      />
      <ul className="divide-y divide-slate-100 text-sm" data-testid="skill-access">
        {skills.map((s) => (
          <li key={s.resource} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2">
            <Badge tone={VERDICT[s.verdict].tone}>{VERDICT[s.verdict].label}</Badge>
            <code className="break-all text-[13px] text-slate-900">{s.resource}</code>
            <span className="min-w-0 flex-1 basis-60 text-xs text-slate-600">{s.why}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Which catalogued MCP tools the agent may use, ask approval for, or not, by its rules now; and the catalog limit. */
function ToolAccessCard({
  agent,
  tools,
  admin,
}: {
  agent: { id: string; slug: string; catalogToolsOnly: boolean };
  tools: ToolAccess[];
  admin: boolean;
}) {
  return (
    <Card>
      <CardHeader
        title="Catalogued tools"
        description={
          agent.catalogToolsOnly
            ? "Limited to catalogued tools: a call to an mcp: tool the catalog does not hold is refused (tool_not_catalogued)."
            : "Calls to mcp: tools outside the catalog are judged by the rules alone."
        }
      />
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-4 py-2 text-sm">
        <Link className="text-indigo-700 hover:underline" href="/tools">
          Open the tool catalog
        </Link>
        {admin ? (
          <form
            action={setCatalogLimitAction.bind(null, agent.id, agent.slug, agent.catalogToolsOnly ? "off" : "on")}
            className="ml-auto"
          >
            <ConfirmSubmit
              variant="secondary"
              message={
                agent.catalogToolsOnly
                  ? `Lift the limit for ${agent.slug}? Uncatalogued mcp: tools are then judged by its rules alone.`
                  : `Limit ${agent.slug} to catalogued tools? Calls to mcp: tools the catalog does not hold are refused from now on.`
              }
            >
              {agent.catalogToolsOnly ? "Lift the catalog limit" : "Limit to catalogued tools"}
            </ConfirmSubmit>
          </form>
        ) : null}
      </div>
      {tools.length === 0 ? (
        <EmptyState title="The tool catalog is empty." />
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="tool-access">
          {tools.map((t) => (
            <li key={t.resource} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2">
              <Badge tone={VERDICT[t.verdict].tone}>{VERDICT[t.verdict].label}</Badge>
              <code className="break-all text-[13px] text-slate-900">{t.resource}</code>
              <span className="min-w-0 flex-1 basis-60 text-xs text-slate-600">{t.why}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
