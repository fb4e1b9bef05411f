import { getBudget } from "@/lib/domain/budgets/queries";
import type { BudgetUpdate } from "@/lib/domain/budgets/schemas";
import { updateBudget } from "@/lib/domain/budgets/update-budget";
import { personRoute } from "@/lib/http/route";
import { budgetView } from "../view";

export const GET = personRoute({}, async ({ actor, params }) => budgetView(await getBudget(actor, params.id)));

export const PATCH = personRoute({}, async ({ actor, params, body, meta }) => {
  await updateBudget(actor, meta, params.id, body as BudgetUpdate);
  return budgetView(await getBudget(actor, params.id));
});
