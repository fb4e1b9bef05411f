import type { Metadata } from "next";
import Link from "next/link";
import { BudgetTable } from "@/components/budgets/budget-table";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Pager } from "@/components/ui/pager";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listBudgets } from "@/lib/domain/budgets/queries";
import { BUDGET_SORTS, type ListBudgetsQuery } from "@/lib/domain/budgets/schemas";
import { orgTimeZone } from "@/lib/domain/settings/queries";
import { pageOrFirst } from "@/lib/http/page-cursor";

export const metadata: Metadata = { title: "Budgets" };

const FILTERS = [
  { id: "", label: "All" },
  { id: "org", label: "Organisation" },
  { id: "team", label: "Teams" },
  { id: "agent", label: "Agents" },
  { id: "archived", label: "Archived" },
] as const;

export default async function BudgetsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const sp = await searchParams;
  const filter = FILTERS.find((f) => f.id === (sp.show ?? ""))?.id ?? "";
  const sort = BUDGET_SORTS.find((k) => k === sp.sort);
  const dir = sp.dir === "desc" ? "desc" : "asc";
  const query: ListBudgetsQuery = {
    ...(filter === "archived" ? { archived: "true" } : filter ? { scope: filter } : {}),
    ...(sort ? { sort, dir } : {}),
  };
  const [
    {
      page: { items: budgets, nextCursor },
      cursor,
    },
    timeZone,
  ] = await Promise.all([pageOrFirst((c) => listBudgets(actor, { ...query, cursor: c }), sp.cursor), orgTimeZone()]);
  const search = { ...sp, cursor };
  const firstPage = `/budgets?${new URLSearchParams({ ...(sp.show && { show: sp.show }), ...(sort && { sort, dir }) })}`;
  const canCreate = isAdmin(actor) || actor.role === "team_lead";
  return (
    <>
      <PageHeader
        title="Budgets"
        description={
          <>
            Spend limits per agent, team and organisation. Periods start at midnight {timeZone}
            {isAdmin(actor) ? (
              <>
                {" "}
                (
                <Link href="/settings#time-zone" className="text-indigo-600 underline hover:text-indigo-800">
                  change
                </Link>
                )
              </>
            ) : null}
            .
          </>
        }
        actions={canCreate ? <ButtonLink href="/budgets/new">New budget</ButtonLink> : null}
      />
      {sp.archived ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Budget archived: it no longer counts, reserves or alerts.
        </p>
      ) : null}
      <nav aria-label="Filter budgets" className="mb-4 flex flex-wrap gap-1">
        {FILTERS.map((f) => (
          <Link
            key={f.id}
            href={f.id ? `/budgets?show=${f.id}` : "/budgets"}
            aria-current={filter === f.id ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm font-medium",
              filter === f.id ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100",
            )}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      <Card>
        {budgets.length === 0 && cursor ? (
          <EmptyState title="No more budgets.">
            Budgets may have been archived since the previous page.{" "}
            <Link className="font-medium text-indigo-600 hover:underline" href={firstPage}>
              First page
            </Link>
          </EmptyState>
        ) : budgets.length === 0 ? (
          <EmptyState title={filter === "archived" ? "No archived budgets." : "No budgets here yet."}>
            {canCreate && filter !== "archived" ? (
              <Link href="/budgets/new" className="text-indigo-600 hover:underline">
                Create one
              </Link>
            ) : null}
          </EmptyState>
        ) : (
          <>
            <BudgetTable budgets={budgets} sorting={{ path: "/budgets", search, sort, dir }} />
            {nextCursor || cursor ? (
              <Pager path="/budgets" search={search} shown={budgets.length} nextCursor={nextCursor} />
            ) : null}
          </>
        )}
      </Card>
    </>
  );
}
