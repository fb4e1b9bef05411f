import { z } from "zod";
import { FocusQuerySchema, focusCsv } from "@/lib/domain/spend/focus";
import { csvResponse } from "@/lib/http/csv";
import { personRoute } from "@/lib/http/route";

/** Spend as a FinOps FOCUS 1.3 cost and usage CSV, for finance tools that read cloud bills. */
export const GET = personRoute(
  {
    tags: ["spend"],
    summary: "Spend as FinOps FOCUS 1.3 CSV (one row per agent, model and local day; from the rollups)",
    description:
      "Columns: BilledCost, EffectiveCost, ListCost and ContractedCost (the same figure), BillingCurrency (USD), ChargeCategory (Usage), ChargePeriodStart/End, BillingPeriodStart/End (the local month), ServiceName, ServiceProviderName, SkuId (the model), PricingQuantity/ConsumedQuantity in Tokens, Tags, and x_AgentId, x_AgentSlug, x_TeamId, x_TeamName, x_Calls, x_Errors, x_InputTokens, x_CachedInputTokens, x_OutputTokens, x_UnpricedCalls. Team leads get their teams' rows.",
    query: FocusQuerySchema,
    response: { description: "FOCUS 1.3 rows", content: { "text/csv": z.string() } },
  },
  async ({ actor, query }) => {
    // Streamed a week of rows at a time: memory stays flat whatever the range.
    const { from, to, chunks } = focusCsv(actor, query);
    const name = `focus-${from.toISOString().slice(0, 10)}-to-${to.toISOString().slice(0, 10)}.csv`;
    return csvResponse(name, chunks);
  },
);
