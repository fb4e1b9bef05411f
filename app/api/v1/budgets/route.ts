import { createBudget } from "@/lib/domain/budgets/create-budget";
import { getBudget, listBudgets } from "@/lib/domain/budgets/queries";
import { BudgetInputSchema, ListBudgetsQuerySchema } from "@/lib/domain/budgets/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { BudgetSchema, budgetView } from "./view";

export const GET = personRoute(
  {
    tags: ["budgets"],
    summary: "Budgets with this period's spent, reserved, remaining and reset time (paginated: `cursor`, `limit`)",
    query: ListBudgetsQuerySchema,
    response: pageOf(BudgetSchema),
  },
  async ({ actor, query }) => {
    const page = await listBudgets(actor, query);
    return { items: page.items.map(budgetView), nextCursor: page.nextCursor };
  },
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
