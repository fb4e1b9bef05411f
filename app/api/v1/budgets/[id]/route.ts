import { getBudget } from "@/lib/domain/budgets/queries";
import { BudgetUpdateSchema } from "@/lib/domain/budgets/schemas";
import { updateBudget } from "@/lib/domain/budgets/update-budget";
import { personRoute } from "@/lib/http/route";
import { BUDGET_PARAM, BudgetSchema, budgetView } from "../view";

export const GET = personRoute(
  { tags: ["budgets"], summary: "One budget", params: BUDGET_PARAM, response: BudgetSchema },
  async ({ actor, params }) => budgetView(await getBudget(actor, params.id)),
);

export const PATCH = personRoute(
  {
    tags: ["budgets"],
    summary: "Change name, period, limit, thresholds or hard action",
    params: BUDGET_PARAM,
    body: BudgetUpdateSchema,
    response: BudgetSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    await updateBudget(actor, meta, params.id, body);
    return budgetView(await getBudget(actor, params.id));
  },
);
