import { spendSeries } from "@/lib/domain/spend/queries";
import { SpendQuerySchema } from "@/lib/domain/spend/schemas";
import { personRoute } from "@/lib/http/route";
import { seriesView } from "@/lib/http/spend-views";

/** Spend over time: `from`, `to` and `bucket` (hour|day|week) are required; stacked by `groupBy`. */
export const GET = personRoute({ query: SpendQuerySchema }, async ({ actor, query }) =>
  seriesView(await spendSeries(actor, query)),
);
