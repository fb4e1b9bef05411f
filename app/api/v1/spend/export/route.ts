import { z } from "zod";
import { spendBreakdown } from "@/lib/domain/spend/queries";
import { SpendBreakdownQuerySchema } from "@/lib/domain/spend/schemas";
import { csvResponse } from "@/lib/http/csv";
import { personRoute } from "@/lib/http/route";
import { breakdownCsv, breakdownView } from "@/lib/http/spend-views";

/** The spend table as CSV (the shared writer: RFC 4180 quoting, formula cells neutralised). */
export const GET = personRoute(
  {
    tags: ["spend"],
    summary: "The spend table as CSV",
    query: SpendBreakdownQuerySchema,
    response: { description: "One row per group", content: { "text/csv": z.string() } },
  },
  async ({ actor, query }) => {
    const b = breakdownView(await spendBreakdown(actor, query));
    const name = `spend-by-${b.groupBy}-${b.from.slice(0, 10)}-to-${b.to.slice(0, 10)}.csv`;
    return csvResponse(name, breakdownCsv(b));
  },
);
