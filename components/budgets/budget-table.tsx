import Link from "next/link";
import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Money } from "@/components/ui/money";
import { PhoneSort, SortableTh, type SortDir, Table, Td, Th, WIDE } from "@/components/ui/table";
import type { BudgetView } from "@/lib/domain/budgets/queries";
import { BudgetStatusBadge } from "./budget-status-badge";
import { UsageBar } from "./usage-bar";

/** Where a sortable budget table keeps its order: the page's path and search params (`sort`, `dir`). */
export type BudgetTableSort = { path: string; search: Record<string, string | undefined>; sort?: string; dir: SortDir };

export const actionTone = { block: "red", degrade: "amber", notify: "gray" } as const;

export function BudgetTarget({ b }: { b: BudgetView }) {
  if (b.scope === "org") return <span>Organisation</span>;
  if (b.scope === "team") return <span>Team {b.team?.name}</span>;
  return (
    <Link href={`/agents/${b.agent?.slug}?tab=budget`} className="text-indigo-600 hover:underline">
      {b.agent?.name}
    </Link>
  );
}

/**
 * One row per budget: its status, this period's spend as a bar, reserved, remaining, reset time. With `sorting` the
 * headers sort the table through the URL.
 */
export function BudgetTable({ budgets, sorting }: { budgets: BudgetView[]; sorting?: BudgetTableSort }) {
  const th = (label: string, key: string, firstDir: SortDir = "asc", className?: string) =>
    sorting ? (
      <SortableTh
        label={label}
        sortKey={key}
        sort={sorting.sort}
        dir={sorting.dir}
        path={sorting.path}
        search={sorting.search}
        firstDir={firstDir}
        className={className}
      />
    ) : (
      <Th className={className}>{label}</Th>
    );
  return (
    <>
      {sorting ? (
        <PhoneSort
          options={[
            { key: "name", label: "Budget" },
            { key: "period", label: "Period" },
            { key: "used", label: "Status (share used)" },
            { key: "spent", label: "Spent this period" },
            { key: "limit", label: "Limit" },
            { key: "remaining", label: "Remaining" },
          ]}
          {...sorting}
        />
      ) : null}
      <Table>
        <thead className="bg-slate-50">
          <tr>
            {th("Budget", "name")}
            {th("Period", "period", "asc", WIDE)}
            {th("Status", "used", "desc", WIDE)}
            {th("Spent this period", "spent", "desc")}
            {th("Limit", "limit", "desc", cn(WIDE, "text-right"))}
            {th("Remaining", "remaining", "asc", cn(WIDE, "text-right"))}
            <Th className={WIDE}>Alerts at</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="budget-rows">
          {budgets.map((b) => (
            <tr key={b.id} data-budget-id={b.id}>
              <Td className="min-w-40 whitespace-normal sm:whitespace-nowrap">
                <Link href={`/budgets/${b.id}`} className="font-medium text-slate-900 hover:text-indigo-600">
                  {b.name}
                </Link>
                {b.archivedAt ? <Badge className="ml-2">archived</Badge> : null}
                <p className="text-xs text-slate-500">
                  <BudgetTarget b={b} />
                </p>
                {/* On a phone the status and period ride here; the bar says spent of limit, the detail page the rest. */}
                <div className="mt-1 sm:hidden">
                  <BudgetStatusBadge s={b} />
                </div>
                <p className="text-xs text-slate-500 sm:hidden">
                  per {b.period}, then {b.hardAction} · resets {dateTime(b.resetsAt, b.timeZone)}
                </p>
              </Td>
              <Td className={WIDE}>
                {b.period}
                <p className="text-xs text-slate-500">resets {dateTime(b.resetsAt, b.timeZone)}</p>
              </Td>
              <Td className={WIDE}>
                <BudgetStatusBadge s={b} />
              </Td>
              <Td>
                <UsageBar
                  spent={b.spentMicros}
                  reserved={b.reservedMicros}
                  limit={b.limitMicros}
                  thresholds={b.thresholds}
                />
                {b.unpricedCalls > 0 ? (
                  <p
                    className="mt-1 text-xs font-medium text-amber-700"
                    title="Calls to models with no price: each counts at its estimate when it had one, else at nothing, so the spend can be short."
                  >
                    + {b.unpricedCalls.toLocaleString("en-US")} unpriced {b.unpricedCalls === 1 ? "call" : "calls"}
                  </p>
                ) : null}
              </Td>
              <Td className={cn(WIDE, "text-right tabular-nums")}>
                <Money micros={b.limitMicros} />
                <p className="text-xs text-slate-500">
                  then <Badge tone={actionTone[b.hardAction]}>{b.hardAction}</Badge>
                </p>
              </Td>
              <Td className={cn(WIDE, "text-right tabular-nums")}>
                <Money micros={b.remainingMicros} />
                {b.reservedMicros > 0n ? (
                  <p className="text-xs text-slate-500">
                    after <Money micros={b.reservedMicros} /> reserved
                  </p>
                ) : null}
              </Td>
              <Td className={cn(WIDE, "text-xs")}>{b.thresholds.length ? `${b.thresholds.join(" · ")} %` : "—"}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
