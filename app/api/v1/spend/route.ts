import { spendSeries } from "@/lib/domain/spend/queries";
import { SpendQuerySchema } from "@/lib/domain/spend/schemas";
import { personRoute } from "@/lib/http/route";
import { SpendSeriesSchema, seriesView } from "@/lib/http/spend-views";

/** Spend over time: `from`, `to` and `bucket` (hour|day|week) are required; stacked by `groupBy`. */
export const GET = personRoute(
  {
    tags: ["spend"],
    summary:
      "Spend over time from the usage rollups, stacked by agent, team, model or tool (range and bucket required)",
    query: SpendQuerySchema,
    response: SpendSeriesSchema,
  },
  async ({ actor, query }) => seriesView(await spendSeries(actor, query)),
);
