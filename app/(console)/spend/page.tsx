import type { Metadata } from "next";
import { DailySpendChart, type DailySpendPoint } from "@/components/charts/daily-spend-chart";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { formatUsd, microsToUsd } from "@/lib/domain/money";
import { dailySpendByTeam } from "@/lib/domain/spend/queries";

export const metadata: Metadata = { title: "Spend" };

const DAYS = 30;

export default async function SpendPage() {
  const actor = await requireSessionActor();
  const today = new Date();
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  const from = new Date(to.getTime() - DAYS * 86_400_000);
  const { rows, teams } = await dailySpendByTeam(actor, { from, to });

  const byDay = new Map<string, DailySpendPoint>();
  for (let t = from.getTime(); t < to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, { day, ...Object.fromEntries(teams.map((tm) => [tm.id, 0])) });
  }
  let total = 0n;
  let calls = 0n;
  let unpriced = 0n;
  for (const r of rows) {
    const p = byDay.get(new Date(r.day).toISOString().slice(0, 10));
    if (p) p[r.teamId] = microsToUsd(r.cost);
    total += r.cost;
    calls += r.calls;
    unpriced += r.unpriced;
  }
  return (
    <>
      <PageHeader title="Spend" description={`Last ${DAYS} days, by team${actor.role === "team_lead" ? " (your teams)" : ""}. Read from hourly rollups.`} />
      <div className="mb-4 grid gap-3 sm:grid-cols-3">
        <Card className="px-4 py-3">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Cost</p>
          <p className="mt-1 text-lg font-semibold tabular-nums" data-testid="spend-total">{formatUsd(total)}</p>
        </Card>
        <Card className="px-4 py-3">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Calls</p>
          <p className="mt-1 text-lg font-semibold tabular-nums">{calls.toLocaleString("en-US")}</p>
        </Card>
        <Card className="px-4 py-3">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Unpriced calls</p>
          <p className="mt-1 text-lg font-semibold tabular-nums">{unpriced.toLocaleString("en-US")}</p>
          <p className="text-xs text-slate-500">Models with no price: not counted as $0.</p>
        </Card>
      </div>
      <Card>
        <CardHeader title="Daily spend" description="Stacked by team, UTC days." />
        {rows.length === 0 ? <EmptyState title="No usage in this period." /> : <div className="p-4"><DailySpendChart data={[...byDay.values()]} series={teams.map((t) => ({ key: t.id, name: t.name }))} /></div>}
      </Card>
    </>
  );
}
