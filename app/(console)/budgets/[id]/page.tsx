import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BudgetForm } from "@/components/budgets/budget-form";
import { BudgetStatusBadge } from "@/components/budgets/budget-status-badge";
import { actionTone, BudgetTarget } from "@/components/budgets/budget-table";
import { UsageBar } from "@/components/budgets/usage-bar";
import { BudgetHistoryChart } from "@/components/charts/budget-history-chart";
import { dateOnly, dateTime, percentUsed, usd as usdText } from "@/components/format";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Money } from "@/components/ui/money";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { budgetHistory, getBudget } from "@/lib/domain/budgets/queries";
import { DomainError } from "@/lib/domain/errors";
import { microsToUsd } from "@/lib/domain/money";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { archiveBudgetAction, previewUpdateBudgetAction, updateBudgetAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const actor = await requireSessionActor();
  const b = await getBudget(actor, (await params).id).catch(() => null);
  return { title: b ? `${b.name} · Budgets` : "Not found" };
}

export default async function BudgetPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  const { id } = await params;
  const sp = await searchParams;
  const missing = (err: unknown): never => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  };
  const [b, history] = await Promise.all([
    getBudget(actor, id).catch(missing),
    budgetHistory(actor, id).catch(missing),
  ]);
  const PERIOD_NAME = { day: "days", week: "weeks", month: "months" } as const;
  const spentAny = history.periods.some((p) => p.spentMicros > 0n);
  // Periods before the budget existed are listed only where something was spent; the rest are one line.
  const listed = [...history.periods].reverse().filter((p) => !p.beforeBudget || p.spentMicros > 0n);
  const quietBefore = history.periods.length - listed.length;
  return (
    <>
      <Breadcrumbs trail={[{ href: "/budgets", label: "Budgets" }]} current={b.name} />
      {sp.created ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Budget created.
        </p>
      ) : null}
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">{b.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
            <BudgetTarget b={b} /> · per {b.period} ·{" "}
            <Badge tone={actionTone[b.hardAction]}>{b.hardAction} when exhausted</Badge>
            {b.archivedAt ? <Badge>archived {dateTime(b.archivedAt, tz)}</Badge> : null}
          </p>
        </div>
        {b.canManage ? (
          <ActionButton
            action={archiveBudgetAction.bind(null, b.id)}
            label="Archive budget"
            variant="destructive"
            confirm={[
              `Archive "${b.name}"?`,
              "It stops counting, reserving and alerting at once. This cannot be undone.",
            ]}
          >
            Archive
          </ActionButton>
        ) : null}
      </div>
      <div className="grid gap-4 lg:grid-cols-[2fr_3fr]">
        <Card>
          <CardHeader
            title="This period"
            actions={<BudgetStatusBadge s={b} />}
            description={`${dateTime(b.periodStart, b.timeZone)} → ${dateTime(b.resetsAt, b.timeZone)}`}
          />
          <div className="space-y-4 p-4">
            <UsageBar
              spent={b.spentMicros}
              reserved={b.reservedMicros}
              limit={b.limitMicros}
              thresholds={b.thresholds}
            />
            <dl className="grid grid-cols-3 gap-3 text-sm">
              <div>
                <dt className="text-xs text-slate-500">Spent</dt>
                <dd className="font-semibold tabular-nums">
                  <Money micros={b.spentMicros} />
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Reserved (in flight)</dt>
                <dd className="font-semibold tabular-nums">
                  <Money micros={b.reservedMicros} />
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Remaining</dt>
                <dd className="font-semibold tabular-nums">
                  <Money micros={b.remainingMicros} />
                </dd>
              </div>
            </dl>
            {b.unpricedCalls > 0 ? (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" role="note">
                {b.unpricedCalls.toLocaleString("en-US")} {b.unpricedCalls === 1 ? "call" : "calls"} this period used a
                model with no price: each counts at its estimate when it had one, else at nothing, so the spend above
                can be short.{" "}
                <Link href="/settings#prices" className="font-medium underline">
                  Add the price
                </Link>
                .
              </p>
            ) : null}
            <p className="text-xs text-slate-500">
              Resets {dateTime(b.resetsAt, b.timeZone)}. Alerts at{" "}
              {b.thresholds.map((t) => `${t} %`).join(", ") || "no thresholds"}.
            </p>
          </div>
        </Card>
        <Card>
          <CardHeader
            title="Alerts"
            description="Each threshold alerts once per period (a notification in the console and, if configured, a signed webhook), with the spend when it was crossed. One report can cross several at once."
          />
          {b.alerts.length === 0 ? (
            <EmptyState title="No threshold crossed yet." />
          ) : (
            <ol className="divide-y divide-slate-100 text-sm" data-testid="budget-alerts">
              {b.alerts.map((a) => (
                <li
                  key={a.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2"
                  data-threshold={a.threshold}
                >
                  <Badge tone={a.threshold >= 100 ? "red" : "amber"}>Crossed {a.threshold} %</Badge>
                  <span className="tabular-nums">
                    at <Money micros={(a.limitMicros * BigInt(a.threshold)) / 100n} /> of{" "}
                    <Money micros={a.limitMicros} />
                    <span className="text-slate-500">
                      {" "}
                      · spent then <Money micros={a.spentMicros} /> ({percentUsed(a.percentUsed)})
                    </span>
                  </span>
                  <span className="ml-auto text-right text-slate-500">
                    <time dateTime={a.createdAt.toISOString()}>{dateTime(a.createdAt, tz)}</time>
                    <span className="block text-xs">
                      {b.period === "day" ? "day" : `${b.period} from`} {dateOnly(a.periodStart, b.timeZone)}
                    </span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
      <Card className="mt-4">
        <CardHeader
          title={`Last ${history.periods.length} ${PERIOD_NAME[b.period]}`}
          description={`Spend per ${b.period} against the current limit of ${usdText(b.limitMicros)} (dashed line); periods start at midnight ${history.timeZone}.${history.periods.some((p) => p.beforeBudget) ? " Periods before the budget was created are shown in grey, not judged." : ""}`}
        />
        {spentAny ? (
          <div className="p-4">
            <BudgetHistoryChart
              points={history.periods.map((p) => ({
                t: p.periodStart.toISOString(),
                spentUsd: microsToUsd(p.spentMicros),
                percentUsed: p.percentUsed,
                status: p.status,
                beforeBudget: p.beforeBudget,
              }))}
              limitUsd={microsToUsd(history.limitMicros)}
              unit={b.period}
              timeZone={history.timeZone}
            />
          </div>
        ) : (
          <EmptyState title={`No spend in the last ${history.periods.length} ${PERIOD_NAME[b.period]}.`} />
        )}
        <Table>
          <thead className="bg-slate-50">
            <tr>
              <Th>{b.period === "day" ? "Day" : b.period === "week" ? "Week from" : "Month"}</Th>
              <Th className="text-right">Spent</Th>
              <Th className={cn(WIDE, "text-right")}>Of limit</Th>
              <Th>Status</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="budget-history-rows">
            {listed.map((p, i) => (
              <tr key={p.periodStart.toISOString()}>
                <Td>
                  {b.period === "month"
                    ? dateOnly(p.periodStart, history.timeZone).slice(0, 7)
                    : dateOnly(p.periodStart, history.timeZone)}
                  {i === 0 ? <span className="block text-xs text-slate-500 sm:ml-2 sm:inline">(current)</span> : null}
                </Td>
                <Td className="text-right tabular-nums">
                  <Money micros={p.spentMicros} />
                  {/* On a phone the share of the limit goes under the amount (its column is hidden). */}
                  <span className="block text-xs text-slate-500 sm:hidden">{percentUsed(p.percentUsed)}</span>
                </Td>
                <Td className={cn(WIDE, "text-right tabular-nums")}>{percentUsed(p.percentUsed)}</Td>
                <Td className="whitespace-normal">
                  {p.beforeBudget ? (
                    <span className="text-slate-500">before this budget</span>
                  ) : p.spentMicros > 0n ? (
                    <BudgetStatusBadge s={p} />
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </Td>
              </tr>
            ))}
            {quietBefore ? (
              <tr>
                <Td colSpan={4} className="whitespace-normal text-slate-500">
                  {quietBefore} {quietBefore === 1 ? b.period : PERIOD_NAME[b.period]} before this budget with nothing
                  spent (not listed)
                </Td>
              </tr>
            ) : null}
          </tbody>
        </Table>
      </Card>
      {b.canManage ? (
        <Card className="mt-4">
          <CardHeader
            title="Edit budget"
            description="Changes apply at once; a new limit or period is checked on the next runtime call."
          />
          <div className="p-4">
            <BudgetForm
              action={updateBudgetAction.bind(null, b.id)}
              preview={previewUpdateBudgetAction.bind(null, b.id)}
              timeZone={tz}
              initial={{
                name: b.name,
                period: b.period,
                limitUsd: microsToUsd(b.limitMicros),
                thresholds: b.thresholds,
                hardAction: b.hardAction,
              }}
              submitLabel="Save budget"
            />
          </div>
        </Card>
      ) : null}
    </>
  );
}
