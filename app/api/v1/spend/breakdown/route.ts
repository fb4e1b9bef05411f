import { spendBreakdown } from "@/lib/domain/spend/queries";
import { SpendBreakdownQuerySchema } from "@/lib/domain/spend/schemas";
import { personRoute } from "@/lib/http/route";
import { breakdownView } from "@/lib/http/spend-views";

export const GET = personRoute({ query: SpendBreakdownQuerySchema }, async ({ actor, query }) =>
  breakdownView(await spendBreakdown(actor, query)),
);
