import { createBudget } from "@/lib/domain/budgets/create-budget";
import { getBudget, listBudgets } from "@/lib/domain/budgets/queries";
import { type BudgetInput, ListBudgetsQuerySchema } from "@/lib/domain/budgets/schemas";
import { personRoute } from "@/lib/http/route";
import { budgetView } from "./view";

export const GET = personRoute({ query: ListBudgetsQuerySchema }, async ({ actor, query }) => ({
  items: (await listBudgets(actor, query)).map(budgetView),
}));

export const POST = personRoute({ status: 201 }, async ({ actor, body, meta }) => {
  const budget = await createBudget(actor, meta, body as BudgetInput);
  return budgetView(await getBudget(actor, budget.id));
});
