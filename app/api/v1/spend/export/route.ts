import { stringify } from "csv-stringify/sync";
import { spendBreakdown } from "@/lib/domain/spend/queries";
import { SpendBreakdownQuerySchema } from "@/lib/domain/spend/schemas";
import { personRoute } from "@/lib/http/route";
import { breakdownView } from "@/lib/http/spend-views";

/** Spreadsheet formula injection: a cell starting with = + - @ is prefixed with ' so it stays text. */
const noFormula = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The spend table as CSV (RFC 4180 quoting by csv-stringify). */
export const GET = personRoute({ query: SpendBreakdownQuerySchema }, async ({ actor, query }) => {
  const b = breakdownView(await spendBreakdown(actor, query));
  const csv = stringify(
    b.rows.map((r) => [noFormula(r.label), noFormula(r.key), r.costUsd.toFixed(6), r.previousCostUsd.toFixed(6), r.changePercent ?? "", r.calls, r.errors, r.unpricedCalls, r.inputTokens, r.outputTokens]),
    { header: true, columns: [b.groupBy, "id", "cost_usd", "previous_period_cost_usd", "change_percent", "calls", "errors", "unpriced_calls", "input_tokens", "output_tokens"] },
  );
  const name = `spend-by-${b.groupBy}-${b.from.slice(0, 10)}-to-${b.to.slice(0, 10)}.csv`;
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` } });
});
