import { archiveBudget } from "@/lib/domain/budgets/archive-budget";
import { getBudget } from "@/lib/domain/budgets/queries";
import { personRoute } from "@/lib/http/route";
import { budgetView } from "../../view";

export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  await archiveBudget(actor, meta, params.id, body as { reason?: string });
  return budgetView(await getBudget(actor, params.id));
});
