import { archiveBudget } from "@/lib/domain/budgets/archive-budget";
import { getBudget } from "@/lib/domain/budgets/queries";
import { ArchiveBudgetSchema } from "@/lib/domain/budgets/schemas";
import { personRoute } from "@/lib/http/route";
import { BUDGET_PARAM, BudgetSchema, budgetView } from "../../view";

export const POST = personRoute(
  {
    tags: ["budgets"],
    summary: "Archive: the budget stops counting and alerting",
    params: BUDGET_PARAM,
    body: ArchiveBudgetSchema,
    response: BudgetSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    await archiveBudget(actor, meta, params.id, body);
    return budgetView(await getBudget(actor, params.id));
  },
);
