"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { archiveBudget } from "@/lib/domain/budgets/archive-budget";
import { createBudget } from "@/lib/domain/budgets/create-budget";
import { updateBudget } from "@/lib/domain/budgets/update-budget";
import { type ActionState, actionError, formText } from "@/lib/http/action-result";

const text = (f: FormData, k: string) => formText(f, k, { trim: true });

/** The fields of components/budgets/budget-form.tsx shared by create and edit. */
function budgetFields(form: FormData) {
  const limit = text(form, "limitUsd");
  const thresholds = text(form, "thresholds");
  return {
    name: text(form, "name"),
    period: text(form, "period") as "month",
    limitUsd: limit === "" ? Number.NaN : Number(limit),
    thresholds:
      thresholds === ""
        ? []
        : thresholds
            .split(/[\s,;%]+/)
            .filter(Boolean)
            .map(Number),
    hardAction: text(form, "hardAction") as "block",
  };
}

export async function createBudgetAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let id: string;
  try {
    const scope = text(form, "scope") as "agent" | "team" | "org";
    const b = await createBudget(actor, await requestMeta(), {
      ...budgetFields(form),
      scope,
      agentId: scope === "agent" ? text(form, "agentId") : null,
      teamId: scope === "team" ? text(form, "teamId") : null,
    });
    id = b.id;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/budgets");
  redirect(`/budgets/${id}?created=1`);
}

export async function updateBudgetAction(budgetId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await updateBudget(actor, await requestMeta(), budgetId, budgetFields(form));
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/budgets");
  revalidatePath(`/budgets/${budgetId}`);
  return { ok: true, message: "Budget saved." };
}

export async function archiveBudgetAction(budgetId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await archiveBudget(actor, await requestMeta(), budgetId);
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/budgets");
  redirect("/budgets?archived=1");
}
