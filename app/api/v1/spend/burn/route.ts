import { budgetBurn } from "@/lib/domain/spend/budget-burn";
import { personRoute } from "@/lib/http/route";
import { burnView } from "@/lib/http/spend-views";

export const GET = personRoute({}, async ({ actor }) => ({ items: burnView(await budgetBurn(actor)) }));
