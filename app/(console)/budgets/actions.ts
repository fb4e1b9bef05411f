"use server";

import { z } from "zod";
import { archiveBudget } from "@/lib/domain/budgets/archive-budget";
import { createBudget } from "@/lib/domain/budgets/create-budget";
import { replayBudgetChange } from "@/lib/domain/budgets/replay";
import { updateBudget } from "@/lib/domain/budgets/update-budget";
import { formText } from "@/lib/http/action-result";
import { action } from "@/lib/http/server-action";

const text = (f: FormData, k: string) => formText(f, k, { trim: true });

/** The fields of components/budgets/budget-form.tsx shared by create and edit. */
function budgetFields(form: FormData) {
  const limit = text(form, "limitUsd");
  const thresholds = text(form, "thresholds");
  return {
    name: text(form, "name"),
    period: text(form, "period"),
    limitUsd: limit === "" ? Number.NaN : Number(limit),
    thresholds:
      thresholds === ""
        ? []
        : thresholds
            .split(/[\s,;%]+/)
            .filter(Boolean)
            .map(Number),
    hardAction: text(form, "hardAction"),
  };
}

function newBudgetFields(form: FormData) {
  const scope = text(form, "scope") as "agent" | "team" | "org";
  return {
    ...budgetFields(form),
    scope,
    agentId: scope === "agent" ? text(form, "agentId") : null,
    teamId: scope === "team" ? text(form, "teamId") : null,
  };
}

export const createBudgetAction = action({
  input: newBudgetFields,
  run: (actor, input, meta) => createBudget(actor, meta, input),
  revalidate: () => ["/budgets"],
  redirect: (b) => `/budgets/${b.id}?created=1`,
});

export const updateBudgetAction = action({
  args: [z.string()],
  input: budgetFields,
  run: (actor, input, meta, budgetId) => updateBudget(actor, meta, budgetId, input),
  revalidate: (_, budgetId) => ["/budgets", `/budgets/${budgetId}`],
  reply: "Budget saved.",
});

export const archiveBudgetAction = action({
  args: [z.string()],
  run: (actor, _, meta, budgetId) => archiveBudget(actor, meta, budgetId),
  revalidate: () => ["/budgets"],
  redirect: () => "/budgets?archived=1",
});

/** What saving the form would have done to the last 7 days of recorded calls (writes nothing). */
export const previewCreateBudgetAction = action({
  input: newBudgetFields,
  run: (actor, budget) => replayBudgetChange(actor, { change: { op: "create", budget } }),
  reply: (result) => ({ ok: true, data: result }),
});

export const previewUpdateBudgetAction = action({
  args: [z.string()],
  input: budgetFields,
  run: (actor, budget, _meta, budgetId) => replayBudgetChange(actor, { change: { op: "update", budgetId, budget } }),
  reply: (result) => ({ ok: true, data: result }),
});
