import { spendBreakdown } from "@/lib/domain/spend/queries";
import { SpendBreakdownQuerySchema } from "@/lib/domain/spend/schemas";
import { personRoute } from "@/lib/http/route";
import { breakdownView, SpendBreakdownSchema } from "@/lib/http/spend-views";

export const GET = personRoute(
  {
    tags: ["spend"],
    summary: "Top spenders with the change against the previous period of the same length",
    query: SpendBreakdownQuerySchema,
    response: SpendBreakdownSchema,
  },
  async ({ actor, query }) => breakdownView(await spendBreakdown(actor, query)),
);
