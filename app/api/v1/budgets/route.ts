import { createBudget } from "@/lib/domain/budgets/create-budget";
import { getBudget, listBudgets } from "@/lib/domain/budgets/queries";
import { BudgetInputSchema, ListBudgetsQuerySchema } from "@/lib/domain/budgets/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { BudgetSchema, budgetView } from "./view";

export const GET = personRoute(
  {
    tags: ["budgets"],
    summary: "Budgets with this period's spent, reserved, remaining and reset time",
    query: ListBudgetsQuerySchema,
    response: itemsOf(BudgetSchema),
  },
  async ({ actor, query }) => ({ items: (await listBudgets(actor, query)).map(budgetView) }),
);

export const POST = personRoute(
  {
    tags: ["budgets"],
    summary: "Create a budget (team leads: their teams' agent and team budgets)",
    body: BudgetInputSchema,
    response: BudgetSchema,
    status: 201,
  },
  async ({ actor, body, meta }) => {
    const budget = await createBudget(actor, meta, body);
    return budgetView(await getBudget(actor, budget.id));
  },
);
