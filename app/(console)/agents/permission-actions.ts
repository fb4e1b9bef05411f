"use server";

import { z } from "zod";
import { updateAgent } from "@/lib/domain/agents/update-agent";
import { simulateDecision } from "@/lib/domain/decisions/simulate-decision";
import { addPermissionRule } from "@/lib/domain/permissions/add-permission-rule";
import { applyRuleTemplate } from "@/lib/domain/permissions/apply-rule-template";
import { deletePermissionRule } from "@/lib/domain/permissions/delete-permission-rule";
import { movePermissionRule } from "@/lib/domain/permissions/move-permission-rule";
import { promoteShadowRule } from "@/lib/domain/permissions/promote-shadow-rule";
import { replayRuleChange } from "@/lib/domain/permissions/replay";
import { updatePermissionRule } from "@/lib/domain/permissions/update-permission-rule";
import { formNumber, formText, formTexts, pathSegment, withActionError } from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

const text = (f: FormData, k: string) => formText(f, k, { trim: true });

/** The fields of components/permissions/rule-form.tsx. */
function ruleFromForm(form: FormData) {
  const from = text(form, "hoursFrom");
  const to = text(form, "hoursTo");
  return {
    effect: text(form, "effect"),
    mode: text(form, "mode") || undefined,
    action: text(form, "action"),
    resource: text(form, "resource"),
    maxCostPerCallUsd: formNumber(form, "maxCostPerCallUsd"),
    allowedHours:
      from || to
        ? { from, to, timeZone: text(form, "timeZone") || "UTC", days: formTexts(form, "days").map(Number) }
        : null,
    requiresApproval: form.get("requiresApproval") === "on",
    approvalTimeoutMinutes: formNumber(form, "approvalTimeoutMinutes") ?? undefined,
    toolAnnotation: text(form, "toolAnnotation") || null,
    classification: text(form, "classification") || null,
    description: text(form, "description"),
  };
}

const id = z.string();
const slug = z.string();
const revalidate = (_: unknown, _agentId: string, slug: string) => [`/agents/${slug}`];

export const addRuleAction = action({
  args: [id, slug],
  input: ruleFromForm,
  run: (actor, rule, meta, agentId) => addPermissionRule(actor, meta, agentId, rule),
  revalidate,
  reply: "Rule added.",
});

/** What saving the form would have done to the last 7 days of recorded calls (writes nothing). */
export const previewAddRuleAction = action({
  args: [id],
  input: ruleFromForm,
  run: (actor, rule, _meta, agentId) => replayRuleChange(actor, agentId, { change: { op: "add", rule } }),
  reply: (result) => ({ ok: true, data: result }),
});

export const previewUpdateRuleAction = action({
  args: [id, id],
  input: ruleFromForm,
  run: (actor, rule, _meta, agentId, ruleId) =>
    replayRuleChange(actor, agentId, { change: { op: "update", ruleId, rule } }),
  reply: (result) => ({ ok: true, data: result }),
});

export const updateRuleAction = action({
  args: [id, slug, id],
  input: ruleFromForm,
  run: (actor, rule, meta, agentId, _slug, ruleId) => updatePermissionRule(actor, meta, agentId, ruleId, rule),
  revalidate,
  reply: "Rule saved.",
});

export const deleteRuleAction = action({
  args: [id, slug, id],
  run: (actor, _, meta, agentId, _slug, ruleId) => deletePermissionRule(actor, meta, agentId, ruleId),
  revalidate,
  reply: "Rule deleted.",
});

export const promoteRuleAction = action({
  args: [id, slug, id],
  run: (actor, _, meta, agentId, _slug, ruleId) => promoteShadowRule(actor, meta, agentId, ruleId),
  revalidate,
  reply: "Rule promoted: it is enforced from now on.",
});

export const moveRuleAction = action({
  args: [id, slug, id, z.enum(["up", "down"])],
  run: (actor, _, meta, agentId, _slug, ruleId, direction) =>
    movePermissionRule(actor, meta, agentId, ruleId, { direction }),
  revalidate,
  reply: "Rule moved.",
});

export const applyTemplateAction = action({
  args: [id, slug],
  input: (form) => ({ template: text(form, "template") }),
  run: (actor, template, meta, agentId) => applyRuleTemplate(actor, meta, agentId, template),
  revalidate,
  reply: "Template rules added at the end of the list.",
});

export const simulateAction = action({
  args: [id],
  input: (form) => {
    const at = text(form, "at");
    return {
      action: text(form, "action"),
      resource: text(form, "resource"),
      estimatedCostUsd: formNumber(form, "estimatedCostUsd") ?? undefined,
      at: at || undefined,
    };
  },
  run: (actor, input, _meta, agentId) => simulateDecision(actor, agentId, input),
  reply: (result) => ({ ok: true, data: result }),
});

/** Limit the agent to catalogued MCP tools, or lift the limit (the Permissions tab's Tools card). */
export const setCatalogLimitAction = postAction({
  args: [id, slug, z.enum(["on", "off"])],
  run: (actor, _, meta, agentId, _slug, value) =>
    updateAgent(actor, meta, agentId, { catalogToolsOnly: value === "on" }),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  redirect: (_, _agentId, slug) => `/agents/${slug}?tab=permissions`,
  failure: (message, _agentId, slug) => withActionError(`/agents/${pathSegment(slug)}?tab=permissions`, message),
});
