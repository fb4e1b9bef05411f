"use server";

import { revalidatePath } from "next/cache";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { type Simulation, simulateDecision } from "@/lib/domain/decisions/simulate-decision";
import { addPermissionRule } from "@/lib/domain/permissions/add-permission-rule";
import { applyRuleTemplate } from "@/lib/domain/permissions/apply-rule-template";
import { deletePermissionRule } from "@/lib/domain/permissions/delete-permission-rule";
import { movePermissionRule } from "@/lib/domain/permissions/move-permission-rule";
import type { PermissionRuleInput } from "@/lib/domain/permissions/schemas";
import { updatePermissionRule } from "@/lib/domain/permissions/update-permission-rule";
import { type ActionState, actionError, formText, formTexts } from "@/lib/http/action-result";

const text = (f: FormData, k: string) => formText(f, k, { trim: true });
/** "" means absent; anything else must be a number (NaN is reported by the schema as a field error). */
const optionalNumber = (f: FormData, k: string) => (text(f, k) === "" ? null : Number(text(f, k)));

/** The fields of components/permissions/rule-form.tsx. */
function ruleFromForm(form: FormData): PermissionRuleInput {
  const from = text(form, "hoursFrom");
  const to = text(form, "hoursTo");
  return {
    effect: text(form, "effect") as "allow",
    action: text(form, "action"),
    resource: text(form, "resource"),
    maxCostPerCallUsd: optionalNumber(form, "maxCostPerCallUsd"),
    allowedHours:
      from || to
        ? { from, to, timeZone: text(form, "timeZone") || "UTC", days: formTexts(form, "days").map(Number) }
        : null,
    requiresApproval: form.get("requiresApproval") === "on",
    description: text(form, "description"),
  };
}

async function run(slug: string, message: string, fn: () => Promise<unknown>): Promise<ActionState> {
  try {
    await fn();
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  return { ok: true, message };
}

export async function addRuleAction(
  agentId: string,
  slug: string,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  return run(slug, "Rule added.", async () =>
    addPermissionRule(actor, await requestMeta(), agentId, ruleFromForm(form)),
  );
}

export async function updateRuleAction(
  agentId: string,
  slug: string,
  ruleId: string,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  return run(slug, "Rule saved.", async () =>
    updatePermissionRule(actor, await requestMeta(), agentId, ruleId, ruleFromForm(form)),
  );
}

export async function deleteRuleAction(
  agentId: string,
  slug: string,
  ruleId: string,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  return run(slug, "Rule deleted.", async () => deletePermissionRule(actor, await requestMeta(), agentId, ruleId));
}

export async function moveRuleAction(
  agentId: string,
  slug: string,
  ruleId: string,
  direction: "up" | "down",
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  return run(slug, "Rule moved.", async () =>
    movePermissionRule(actor, await requestMeta(), agentId, ruleId, { direction }),
  );
}

export async function applyTemplateAction(
  agentId: string,
  slug: string,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  return run(slug, "Template rules added at the end of the list.", async () =>
    applyRuleTemplate(actor, await requestMeta(), agentId, { template: text(form, "template") }),
  );
}

export type SimulateState = ActionState & { result?: Simulation };

export async function simulateAction(agentId: string, _prev: SimulateState, form: FormData): Promise<SimulateState> {
  const actor = await requireSessionActor();
  try {
    const at = text(form, "at");
    const result = await simulateDecision(actor, agentId, {
      action: text(form, "action"),
      resource: text(form, "resource"),
      estimatedCostUsd: optionalNumber(form, "estimatedCostUsd") ?? undefined,
      at: at || undefined,
    });
    return { ok: true, result };
  } catch (err) {
    return actionError(err);
  }
}
