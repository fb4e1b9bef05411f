import type { Metadata } from "next";
import Link from "next/link";
import { BudgetStatusBadge } from "@/components/budgets/budget-status-badge";
import { ago } from "@/components/format";
import { Badge, envTone, statusTone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ChoiceSelect, Input } from "@/components/ui/field";
import { FilterActions } from "@/components/ui/filter-actions";
import { Money } from "@/components/ui/money";
import { Pager } from "@/components/ui/pager";
import { PhoneSort, SortableTh, Table, Td, Th, WIDE } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listAgents, listTeams } from "@/lib/domain/agents/queries";
import { ListAgentsQuerySchema } from "@/lib/domain/agents/schemas";
import { DomainError } from "@/lib/domain/errors";

export const metadata: Metadata = { title: "Agents" };

type Search = Record<string, string | undefined>;

export default async function AgentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireSessionActor();
  const sp = await searchParams;
  const parsed = ListAgentsQuerySchema.safeParse({
    q: sp.q || undefined,
    teamId: sp.team || undefined,
    environment: sp.env || undefined,
    status: sp.status || undefined,
    cursor: sp.cursor || undefined,
    sort: sp.sort || undefined,
    dir: sp.dir || undefined,
  });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const sort = parsed.success ? parsed.data.sort : "name";
  const dir = parsed.success ? parsed.data.dir : "asc";
  const th = (label: string, sortKey: string, firstDir: "asc" | "desc" = "asc", className?: string) => (
    <SortableTh
      label={label}
      sortKey={sortKey}
      sort={sort}
      dir={dir}
      path="/agents"
      search={sp}
      firstDir={firstDir}
      className={className}
    />
  );
  // A cursor this list did not make (a link from before a change of its sort key, or edited by hand): the first page.
  const list = () =>
    listAgents(actor, query).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === "validation_failed" && sp.cursor)
        return listAgents(actor, { ...query, cursor: undefined });
      throw err;
    });
  const [{ items, nextCursor }, teams] = await Promise.all([list(), listTeams(actor)]);
  const filtered = !!(sp.q || sp.team || sp.env || sp.status);

  return (
    <>
      <PageHeader
        title="Agents"
        description={
          actor.role === "team_lead" ? "Agents of your teams." : "Every registered agent in the organisation."
        }
        actions={isAdmin(actor) ? <ButtonLink href="/agents/new">Register agent</ButtonLink> : null}
      />
      <Card>
        <form
          className="flex flex-wrap items-end gap-3 border-b border-slate-100 p-3"
          role="search"
          aria-label="Filter agents"
        >
          <div className="min-w-56 flex-1">
            <label htmlFor="q" className="sr-only">
              Search
            </label>
            <Input id="q" name="q" placeholder="Search name, slug or description" defaultValue={sp.q} />
          </div>
          <div>
            <label htmlFor="team" className="sr-only">
              Team
            </label>
            <ChoiceSelect
              id="team"
              name="team"
              value={sp.team}
              any="All teams"
              choices={teams.map((t) => ({ value: t.id, label: t.name }))}
            />
          </div>
          <div>
            <label htmlFor="env" className="sr-only">
              Environment
            </label>
            <ChoiceSelect
              id="env"
              name="env"
              value={sp.env}
              any="All environments"
              choices={["prod", "staging", "dev"]}
            />
          </div>
          <div>
            <label htmlFor="status" className="sr-only">
              Status
            </label>
            <ChoiceSelect
              id="status"
              name="status"
              value={sp.status}
              any="Any status"
              choices={["active", "suspended", "retired"]}
            />
          </div>
          <FilterActions clearHref="/agents" filtered={filtered} />
        </form>
        {!parsed.success ? (
          <p className="px-4 pt-3 text-sm text-rose-600">Some filters were invalid and were ignored.</p>
        ) : null}
        {items.length === 0 ? (
          <EmptyState title={filtered ? "No agents match these filters." : "No agents yet."}>
            {filtered ? (
              "Try clearing a filter."
            ) : isAdmin(actor) ? (
              <Link className="text-indigo-600 hover:underline" href="/agents/new">
                Register your first agent.
              </Link>
            ) : (
              "An admin registers agents."
            )}
          </EmptyState>
        ) : (
          <>
            <PhoneSort
              options={[
                { key: "name", label: "Agent" },
                { key: "team", label: "Team" },
                { key: "status", label: "Status" },
                { key: "used", label: "Budget used" },
                { key: "spend", label: "Spend this month" },
                { key: "activity", label: "Last activity" },
              ]}
              sort={sort}
              dir={dir}
              path="/agents"
              search={sp}
            />
            {/* Eight columns: a little less padding keeps them all in sight on a laptop's width. */}
            <Table className="[&_td]:px-3 [&_th]:px-3">
              <thead className="bg-slate-50">
                <tr>
                  {th("Agent", "name")}
                  {th("Team", "team", "asc", WIDE)}
                  {th("Status", "status", "asc", WIDE)}
                  {th("Budget", "used", "desc")}
                  <Th className={WIDE}>Deployed</Th>
                  {th("Spend this month", "spend", "desc", cn(WIDE, "text-right"))}
                  {th("Last activity", "activity", "desc", WIDE)}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white" data-testid="agent-rows">
                {items.map((a) => {
                  const monthly = a.budgets.find((b) => b.period === "month");
                  const badges = (
                    <span className="flex gap-1.5">
                      <Badge tone={statusTone[a.status]}>{a.status}</Badge>
                      <Badge tone={envTone[a.environment]}>{a.environment}</Badge>
                    </span>
                  );
                  const spend = (
                    <>
                      <Money micros={a.spendThisMonthMicros} />
                      {monthly ? (
                        <span className="text-slate-500">
                          {" "}
                          / <Money micros={monthly.limitMicros} />
                        </span>
                      ) : null}
                      {a.unpricedCallsThisMonth > 0 ? (
                        <div
                          className="text-xs font-medium text-amber-700"
                          title="Calls to models with no price: their cost is unknown, not $0."
                        >
                          + {a.unpricedCallsThisMonth.toLocaleString("en-US")} unpriced calls
                        </div>
                      ) : null}
                    </>
                  );
                  return (
                    <tr
                      key={a.id}
                      data-agent={a.slug}
                      className={a.status === "suspended" ? "bg-rose-50/60" : "hover:bg-slate-50"}
                    >
                      <Td>
                        <Link href={`/agents/${a.slug}`} className="font-medium text-slate-900 hover:text-indigo-600">
                          {a.name}
                        </Link>
                        <div className="font-mono text-xs text-slate-500">{a.slug}</div>
                        {/* On a phone the team and status ride here, and the month's spend under the budget; the
                            deployed version and last activity hide. */}
                        <div className="text-xs text-slate-500 sm:hidden">{a.team.name}</div>
                        <div className="mt-1 sm:hidden">{badges}</div>
                      </Td>
                      <Td className={WIDE}>{a.team.name}</Td>
                      <Td className={WIDE}>{badges}</Td>
                      <Td className="whitespace-normal sm:whitespace-nowrap">
                        <BudgetStatusBadge s={a.budgetStatus} showBudget />
                        <div className="mt-1 tabular-nums sm:hidden">
                          <span className="text-xs text-slate-500">This month </span>
                          {spend}
                        </div>
                      </Td>
                      <Td className={WIDE}>
                        {a.deployedVersion ? (
                          <span>
                            v{a.deployedVersion.number} ·{" "}
                            <span className="text-slate-500">{a.deployedVersion.model}</span>
                          </span>
                        ) : (
                          "—"
                        )}
                      </Td>
                      <Td className={cn(WIDE, "text-right tabular-nums")}>{spend}</Td>
                      <Td className={cn(WIDE, "text-slate-500")}>{ago(a.lastActivityAt)}</Td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          </>
        )}
        <Pager path="/agents" search={sp} shown={items.length} nextCursor={nextCursor} />
      </Card>
    </>
  );
}
