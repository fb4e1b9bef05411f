import type { Metadata } from "next";
import { BudgetBurnGrid } from "@/components/spend/budget-burn";
import { SpendExplorer } from "@/components/spend/spend-explorer";
import { apiQuery, correctSpendParams } from "@/components/spend/spend-params";
import { PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { listAgentOptions, listTeams } from "@/lib/domain/agents/queries";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { budgetBurn } from "@/lib/domain/spend/budget-burn";
import { spendBreakdown, spendSeries } from "@/lib/domain/spend/queries";
import type { SpendQuery } from "@/lib/domain/spend/schemas";
import { breakdownView, burnView, seriesView } from "@/lib/http/spend-views";

export const metadata: Metadata = { title: "Spend" };

export default async function SpendPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const timeZone = await consoleTimeZone();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // Any URL a user can produce or edit renders: the parameters are corrected (with a note), never refused.
  const defaultGroup = actor.role === "team_lead" ? "agent" : "team";
  const { params, notes } = correctSpendParams(raw, defaultGroup, timeZone);
  const q = Object.fromEntries(apiQuery(params, timeZone)) as SpendQuery;
  // Server-rendered first view; the explorer then fetches the same shapes from /api/v1/spend. Should a query still
  // fail, the explorer renders without it and shows the API's message.
  const [series, breakdown, teams, agents, burn] = await Promise.all([
    spendSeries(actor, q).catch(() => null),
    spendBreakdown(actor, q).catch(() => null),
    listTeams(actor),
    listAgentOptions(actor),
    budgetBurn(actor),
  ]);
  return (
    <>
      <PageHeader
        title="Spend"
        description={
          actor.role === "team_lead"
            ? "Your teams' agents. Filters live in the URL, so a view can be shared."
            : "Every team's agents. Filters live in the URL, so a view can be shared."
        }
      />
      <SpendExplorer
        initial={params}
        initialNotes={notes}
        defaultGroup={defaultGroup}
        timeZone={timeZone}
        initialSeries={series ? seriesView(series) : undefined}
        initialBreakdown={breakdown ? breakdownView(breakdown) : undefined}
        teams={teams.map((t) => ({ id: t.id, label: t.name }))}
        agents={agents.map((a) => ({ id: a.id, label: a.slug }))}
      />
      <section className="mt-8">
        <h2 className="mb-1 text-base font-semibold text-slate-900">Budget burn and forecast</h2>
        <p className="mb-3 text-sm text-slate-500">
          Spend so far this period against each limit, projected to the period&apos;s end from the last 14 days&apos;
          daily rate, weighted by weekday over the last 28 days.
        </p>
        <BudgetBurnGrid items={burnView(burn)} />
      </section>
    </>
  );
}
