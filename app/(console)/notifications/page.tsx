import type { Metadata } from "next";
import Link from "next/link";
import { MarkAlertsRead } from "@/components/alerts/mark-read";
import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { requireSessionActor } from "@/lib/auth/session";
import { listAlerts } from "@/lib/domain/alerts/queries";
import { inboxCount } from "@/lib/domain/approvals/inbox";
import { consoleTimeZone } from "@/lib/domain/settings/queries";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  const [alerts, waiting] = await Promise.all([listAlerts(actor, 100), inboxCount(actor)]);
  const unread = alerts.filter((a) => a.unread).length;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Budget thresholds crossed, newest first. Each threshold alerts once per budget period."
      />
      <MarkAlertsRead unread={unread} />
      {waiting ? (
        <Link
          href="/approvals"
          className="mb-4 flex items-center justify-between gap-3 rounded-lg bg-indigo-50 px-4 py-3 text-sm font-medium text-indigo-800 ring-1 ring-indigo-200 hover:bg-indigo-100"
          data-testid="approvals-banner"
        >
          {waiting === 1 ? "1 request is" : `${waiting} requests are`} waiting for your approval
          <span aria-hidden>→</span>
        </Link>
      ) : null}
      <Card>
        {alerts.length === 0 ? (
          <EmptyState title="No alerts yet.">
            When spend crosses a budget&apos;s alert threshold it shows up here.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="notifications">
            {alerts.map((a) => (
              <li
                key={a.id}
                className={cn("flex flex-wrap items-center gap-3 px-4 py-3", a.unread && "bg-indigo-50/60")}
              >
                {a.unread ? (
                  <span className="size-2 rounded-full bg-indigo-600" role="img" aria-label="unread" />
                ) : (
                  <span className="size-2" />
                )}
                <Badge tone={a.threshold >= 100 ? "red" : "amber"}>{a.threshold} %</Badge>
                <span className="text-slate-800">{a.message}</span>
                <Link href={`/budgets/${a.budget.id}`} className="text-indigo-600 hover:underline">
                  View budget
                </Link>
                <span className="ml-auto text-slate-600">{dateTime(a.createdAt, tz)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
