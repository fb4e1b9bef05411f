import Link from "next/link";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { Lineage } from "@/lib/domain/resources/schemas";
import { LineageTable } from "./lineage-table";

export const LINEAGE_PERIODS = [7, 30, 90] as const;
/** The combinations a page lists (the API gives up to 500; the CSV every decision). */
const SHOWN = 50;

/** The period a lineage page shows: `?days=` 7, 30 (default) or 90. */
export function lineageDays(raw: string | undefined): (typeof LINEAGE_PERIODS)[number] {
  const n = Number(raw);
  return LINEAGE_PERIODS.find((d) => d === n) ?? 30;
}

/** A lineage with its period tabs, totals, the combinations table and the CSV of every decision. */
export function LineagePanel({
  title,
  lineage,
  days,
  href,
  exportHref,
  hide,
  empty,
}: {
  title: string;
  lineage: Lineage;
  days: number;
  /** The page's URL for another period (`days` appended). */
  href: (days: number) => string;
  exportHref: string;
  hide?: "onBehalfOf" | "resource";
  empty: string;
}) {
  const stat = (label: string, n: number) => (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums text-slate-900">{n.toLocaleString("en-US")}</dd>
    </div>
  );
  return (
    <Card>
      <CardHeader
        title={title}
        description="Every decision: which agent, on which version, under which rule, for whom, and what was decided."
        actions={
          <a href={exportHref} className="text-sm font-medium text-indigo-600 hover:underline" download>
            Download CSV
          </a>
        }
      />
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <nav aria-label="Period" className="flex gap-1">
          {LINEAGE_PERIODS.map((d) => (
            <Link
              key={d}
              href={href(d)}
              aria-current={d === days ? "page" : undefined}
              className={cn(
                "rounded-md px-3 py-1.5 text-sm font-medium",
                d === days ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100",
              )}
            >
              {d} days
            </Link>
          ))}
        </nav>
        <dl className="flex gap-6">
          {stat("Calls", lineage.calls)}
          {stat("Agents", lineage.agents)}
          {stat("People", lineage.people)}
        </dl>
      </div>
      {lineage.groups.length === 0 ? (
        <EmptyState title={`Nothing in the last ${days} days.`}>{empty}</EmptyState>
      ) : (
        <>
          <LineageTable lineage={{ ...lineage, groups: lineage.groups.slice(0, SHOWN) }} hide={hide} />
          {lineage.groupCount > SHOWN ? (
            <p className="border-t border-slate-100 px-4 py-3 text-sm text-slate-600">
              The {SHOWN} most frequent of {lineage.groupCount.toLocaleString("en-US")} combinations are shown;{" "}
              <a href={exportHref} className="font-medium text-indigo-600 hover:underline" download>
                the CSV
              </a>{" "}
              holds every decision.
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
