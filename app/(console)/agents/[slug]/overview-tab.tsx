import Link from "next/link";
import { AgentCardForm } from "@/components/agents/agent-card-form";
import { BudgetStatusBadge } from "@/components/budgets/budget-status-badge";
import { BudgetTable } from "@/components/budgets/budget-table";
import { SpendChart } from "@/components/charts/spend-chart";
import { ago } from "@/components/format";
import { EconomicsTable } from "@/components/outcomes/economics-table";
import { TouchedTable } from "@/components/resources/touched-table";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Money } from "@/components/ui/money";
import { isAdmin, type UserActor } from "@/lib/domain/actor";
import { type AgentCard, a2aSkillResource } from "@/lib/domain/agents/agent-card";
import { agentSummary, type getAgent } from "@/lib/domain/agents/queries";
import { budgetsCoveringAgent } from "@/lib/domain/budgets/queries";
import { tightestBudget } from "@/lib/domain/budgets/status";
import { agentEconomics } from "@/lib/domain/outcomes/economics";
import { touchedResources } from "@/lib/domain/resources/lineage";
import { spendSeries } from "@/lib/domain/spend/queries";
import { versionConfig } from "@/lib/domain/versions/schemas";
import { seriesView } from "@/lib/http/spend-views";
import { removeAgentCardAction, setAgentCardAction } from "../actions";

type Agent = Awaited<ReturnType<typeof getAgent>>;

const usdShare = (u: { costMicros: number; taskCostMicros: number }) =>
  u.costMicros ? `${((u.taskCostMicros / u.costMicros) * 100).toFixed(0)} %` : "None";

function Stat({ label, value, sub }: { label: string; value: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <Card className="px-4 py-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold tabular-nums">{value}</p>
      {sub ? <p className="text-xs text-slate-500">{sub}</p> : null}
    </Card>
  );
}

/** The Overview tab: what is live, what it costs, and the budgets covering it. */
export async function OverviewTab({ agent, actor }: { agent: Agent; actor: UserActor }) {
  const v = agent.deployedVersion;
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const month = { from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() };
  const [d, series, budgets, economics, touched] = await Promise.all([
    agentSummary(agent),
    spendSeries(actor, {
      agentId: agent.id,
      from: new Date(to.getTime() - 30 * 86_400_000),
      to,
      bucket: "day",
      groupBy: "model",
    }),
    budgetsCoveringAgent(actor, agent),
    agentEconomics(actor, agent.id, month),
    touchedResources(actor, agent.id, month),
  ]);
  const spend = seriesView(series);
  const tightest = tightestBudget(budgets);
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        <Stat label="Deployed version" value={v ? `v${v.number}` : "—"} sub={v ? v.model : "nothing deployed"} />
        <Stat
          label="Spend this month"
          value={<Money micros={d.spendThisMonthMicros} />}
          sub={
            d.unpricedCallsThisMonth > 0 ? (
              <span className="font-medium text-amber-700">
                + {d.unpricedCallsThisMonth.toLocaleString("en-US")} unpriced calls (cost unknown)
              </span>
            ) : (
              "UTC calendar month"
            )
          }
        />
        <Stat
          label="Budget this period"
          value={
            <BudgetStatusBadge
              s={tightest ? { ...tightest, budgetName: tightest.name, period: tightest.period } : null}
            />
          }
          sub={
            tightest ? (
              <>
                <Money micros={tightest.spentMicros} /> of <Money micros={tightest.limitMicros} /> ·{" "}
                <Link href={`/budgets/${tightest.id}`} className="text-indigo-600 hover:underline">
                  {tightest.name}
                </Link>
              </>
            ) : (
              "no budget covers it"
            )
          }
        />
        <Stat label="Last activity" value={ago(agent.lastActivityAt)} />
        <Stat label="Versions" value={d.versionCount} sub={`${d.ruleCount} permission rules`} />
      </div>
      {agent.description ? <p className="text-sm text-slate-700">{agent.description}</p> : null}
      <Card>
        <CardHeader
          title="Spend, last 30 days"
          description={`By model, ${spend.totals.calls.toLocaleString("en-US")} calls${spend.totals.unpricedCalls ? `, ${spend.totals.unpricedCalls.toLocaleString("en-US")} of them unpriced` : ""}.`}
          actions={
            <Link
              href={`/spend?range=30d&bucket=day&groupBy=model&agentId=${agent.id}`}
              className="text-sm font-medium text-indigo-600 hover:underline"
            >
              Explore
            </Link>
          }
        />
        {spend.totals.calls === 0 ? (
          <EmptyState title="No usage in the last 30 days." />
        ) : spend.totals.unpricedCalls === spend.totals.calls ? (
          <EmptyState title="No call in the last 30 days has a price, so there is no spend to chart.">
            Its models had no price in force when the calls were made; recorded calls are never repriced.
            {isAdmin(actor) ? (
              <>
                {" "}
                Calls after a price is added under{" "}
                <Link href="/settings#prices" className="text-indigo-600 underline hover:text-indigo-800">
                  Settings → Model prices
                </Link>{" "}
                are charged.
              </>
            ) : null}
          </EmptyState>
        ) : (
          <div className="p-4">
            <SpendChart data={spend} height={220} />
          </div>
        )}
      </Card>
      <Card>
        <CardHeader
          title="Outcomes, last 30 days"
          description={
            economics.types.length
              ? `What its tasks achieved and what a success cost: the usage of every task that reported the outcome, over its successes. ${usdShare(economics.usage)} of its usage named a task.`
              : undefined
          }
        />
        {economics.types.length ? (
          <EconomicsTable economics={economics} />
        ) : (
          <EmptyState title="No outcomes reported in the last 30 days.">
            Define outcome types on the Outcomes page, then have the runtime name each call&apos;s taskId and report
            what the task achieved (POST /api/v1/runtime/outcomes).
          </EmptyState>
        )}
      </Card>
      <Card>
        <CardHeader
          title="Resources touched, last 30 days"
          description="What it authorized calls on, most called first, under the catalogue entry each falls under."
        />
        {touched.items.length ? (
          <TouchedTable touched={touched} />
        ) : (
          <EmptyState title="No call authorized in the last 30 days." />
        )}
      </Card>
      {budgets.length ? (
        <Card>
          <CardHeader title="Budgets" description="Every budget covering this agent must admit a call." />
          <BudgetTable budgets={budgets} />
        </Card>
      ) : null}
      <Card>
        <CardHeader
          title="Live config"
          description={v ? `Version ${v.number}, served to the runtime at GET /api/v1/runtime/config` : undefined}
        />
        {v ? (
          <pre className="whitespace-pre-wrap p-4 [overflow-wrap:anywhere] font-mono text-xs text-slate-800">
            {JSON.stringify(versionConfig(v), null, 2)}
          </pre>
        ) : (
          <EmptyState title="No version deployed." />
        )}
      </Card>
      <AgentCardSection agent={agent} admin={isAdmin(actor)} />
    </div>
  );
}

/** The agent's A2A card: what it tells its peers, and its skills as rule resources. Admins import or remove it. */
function AgentCardSection({ agent, admin }: { agent: Agent; admin: boolean }) {
  const card = agent.agentCard as AgentCard | null;
  const live = agent.status !== "retired";
  return (
    <Card>
      <CardHeader
        title="A2A agent card"
        description={
          card
            ? `${card.name} ${card.version} · ${card.skills.length} skill${card.skills.length === 1 ? "" : "s"}. Another agent asks authorize for a2a:send on a skill's resource before it sends it a task.`
            : "An A2A v1.0 Agent Card tells peer agents what this agent does; its skills become rule resources."
        }
        actions={
          card ? (
            <a
              href={`/api/v1/agents/${agent.slug}/agent-card.json`}
              className="text-sm font-medium text-indigo-600 hover:underline"
            >
              View JSON
            </a>
          ) : undefined
        }
      />
      {card ? (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="agent-card-skills">
          {card.skills.map((s) => (
            <li key={s.id} className="px-4 py-2">
              <p className="font-medium text-slate-900">{s.name}</p>
              <p className="text-xs text-slate-600">{s.description}</p>
              <p className="mt-1 flex flex-wrap items-center gap-1.5">
                <code className="break-all text-[13px] text-slate-900">{a2aSkillResource(agent.slug, s.id)}</code>
                {s.tags.map((t) => (
                  <Badge key={t}>{t}</Badge>
                ))}
              </p>
            </li>
          ))}
          {card.skills.length === 0 ? <li className="px-4 py-3 text-slate-600">The card lists no skills.</li> : null}
        </ul>
      ) : admin ? null : (
        <EmptyState title="No agent card." />
      )}
      {admin && live ? (
        <div className="flex flex-wrap items-start gap-2 border-t border-slate-100 px-4 py-3">
          <div className="min-w-0 flex-1">
            <AgentCardForm action={setAgentCardAction.bind(null, agent.id, agent.slug)} replacing={!!card} />
          </div>
          {card ? (
            <form action={removeAgentCardAction.bind(null, agent.id, agent.slug)}>
              <ConfirmSubmit
                message={`Remove ${agent.slug}'s agent card? Its skills stop being listed; rules naming them stay as written.`}
              >
                Remove the card
              </ConfirmSubmit>
            </form>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
