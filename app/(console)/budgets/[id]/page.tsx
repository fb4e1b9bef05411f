import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BudgetForm } from "@/components/budgets/budget-form";
import { actionTone, BudgetTarget } from "@/components/budgets/budget-table";
import { UsageBar } from "@/components/budgets/usage-bar";
import { dateTime, zonedDateTime } from "@/components/format";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { Money } from "@/components/ui/money";
import { requireSessionActor } from "@/lib/auth/session";
import { getBudget } from "@/lib/domain/budgets/queries";
import { DomainError } from "@/lib/domain/errors";
import { microsToUsd } from "@/lib/domain/money";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { archiveBudgetAction, updateBudgetAction } from "../actions";

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
  const b = await getBudget(actor, id).catch((err) => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  });
  return (
    <>
      <nav className="mb-2 text-sm text-slate-500" aria-label="Breadcrumb">
        <Link href="/budgets" className="hover:text-slate-900">
          Budgets
        </Link>{" "}
        / <span className="text-slate-700">{b.name}</span>
      </nav>
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
            variant="danger"
            confirm={`Archive "${b.name}"? It stops counting, reserving and alerting at once. This cannot be undone.`}
          >
            Archive
          </ActionButton>
        ) : null}
      </div>
      <div className="grid gap-4 lg:grid-cols-[2fr_3fr]">
        <Card>
          <CardHeader
            title="This period"
            description={`${zonedDateTime(b.periodStart, b.timeZone)} → ${zonedDateTime(b.resetsAt, b.timeZone)}`}
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
            <p className="text-xs text-slate-500">
              Resets {zonedDateTime(b.resetsAt, b.timeZone)}. Alerts at{" "}
              {b.thresholds.map((t) => `${t} %`).join(", ") || "no thresholds"}.
            </p>
          </div>
        </Card>
        <Card>
          <CardHeader
            title="Alerts"
            description="Each threshold alerts once per period: a notification in the console and, if configured, a signed webhook."
          />
          {b.alerts.length === 0 ? (
            <EmptyState title="No threshold crossed yet." />
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="budget-alerts">
              {b.alerts.map((a) => (
                <li key={a.id} className="flex items-center gap-3 px-4 py-2">
                  <Badge tone={a.threshold >= 100 ? "red" : "amber"}>{a.threshold} %</Badge>
                  <span className="tabular-nums">
                    <Money micros={a.spentMicros} /> of <Money micros={a.limitMicros} />
                  </span>
                  <span className="ml-auto text-slate-500">{dateTime(a.createdAt, tz)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      {b.canManage ? (
        <Card className="mt-4">
          <CardHeader
            title="Edit budget"
            description="Changes apply at once; a new limit or period is checked on the next runtime call."
          />
          <div className="p-4">
            <BudgetForm
              action={updateBudgetAction.bind(null, b.id)}
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
