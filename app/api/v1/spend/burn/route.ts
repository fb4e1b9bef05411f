import { budgetBurn } from "@/lib/domain/spend/budget-burn";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";
import { BudgetBurnSchema, burnView } from "@/lib/http/spend-views";

export const GET = personRoute(
  {
    tags: ["spend"],
    summary: "Each budget's spend this period and its forecast to the period end",
    response: itemsOf(BudgetBurnSchema),
  },
  async ({ actor }) => ({ items: burnView(await budgetBurn(actor)) }),
);
