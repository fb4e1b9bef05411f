import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { readableTeamIds, type Actor } from "../actor";
import { periodEnd, periodStart } from "../budgets/periods";
import { orgTimeZone } from "../settings/queries";
import { SpendBreakdownQuerySchema, SpendQuerySchema, type SpendBreakdownQuery, type SpendQuery } from "./schemas";

type GroupBy = "agent" | "team" | "model" | "tool";
const HOUR = 3_600_000;
/** Series beyond this many groups are summed into "Other" so a stacked chart stays readable. */
export const MAX_SERIES = 8;

const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);
const ceilHour = (d: Date) => new Date(Math.ceil(d.getTime() / HOUR) * HOUR);

const GROUP_SQL: Record<GroupBy, Prisma.Sql> = {
  agent: Prisma.sql`r."agentId"`,
  team: Prisma.sql`r."teamId"`,
  model: Prisma.sql`r.model`,
  tool: Prisma.sql`r.tool`,
};

/** The WHERE clause every spend query shares: a time range (rollup hours), the actor's teams, the filters. */
function whereSql(actor: Actor, q: { from: Date; to: Date; teamId?: string; agentId?: string; model?: string }) {
  const teams = readableTeamIds(actor);
  return Prisma.sql`r.hour >= ${q.from}::timestamp(3) AND r.hour < ${q.to}::timestamp(3)
    ${teams ? Prisma.sql`AND r."teamId" IN (${teams.length ? Prisma.join(teams) : Prisma.sql`NULL`})` : Prisma.empty}
    ${q.teamId ? Prisma.sql`AND r."teamId" = ${q.teamId}` : Prisma.empty}
    ${q.agentId ? Prisma.sql`AND r."agentId" = ${q.agentId}` : Prisma.empty}
    ${q.model ? Prisma.sql`AND r.model = ${q.model}` : Prisma.empty}`;
}

async function labels(groupBy: GroupBy, keys: string[]): Promise<Map<string, string>> {
  if (groupBy === "agent") return new Map((await db().agent.findMany({ where: { id: { in: keys } }, select: { id: true, slug: true } })).map((a) => [a.id, a.slug]));
  if (groupBy === "team") return new Map((await db().team.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } })).map((t) => [t.id, t.name]));
  return new Map(keys.map((k) => [k, k === "" ? "(no tool)" : k]));
}

type Totals = { costMicros: bigint; calls: bigint; errors: bigint; unpricedCalls: bigint; inputTokens: bigint; cachedInputTokens: bigint; outputTokens: bigint };
const TOTALS_SQL = Prisma.sql`COALESCE(SUM(r."costMicros"), 0)::bigint AS "costMicros", COALESCE(SUM(r.calls), 0)::bigint AS calls,
  COALESCE(SUM(r.errors), 0)::bigint AS errors, COALESCE(SUM(r."unpricedCalls"), 0)::bigint AS "unpricedCalls",
  COALESCE(SUM(r."inputTokens"), 0)::bigint AS "inputTokens", COALESCE(SUM(r."cachedInputTokens"), 0)::bigint AS "cachedInputTokens",
  COALESCE(SUM(r."outputTokens"), 0)::bigint AS "outputTokens"`;

/** Bucket starts covering [from, to): UTC hours, or local days / Monday weeks in the organisation time zone. */
export function bucketStarts(bucket: "hour" | "day" | "week", from: Date, to: Date, timeZone: string): Date[] {
  const out: Date[] = [];
  let t = bucket === "hour" ? floorHour(from) : periodStart(bucket, from, timeZone);
  while (t < to && out.length < 20_000) {
    out.push(t);
    t = bucket === "hour" ? new Date(t.getTime() + HOUR) : periodEnd(bucket, t, timeZone);
  }
  return out;
}

/**
 * Spend over time, stacked by a dimension, from the hourly rollups only (never the raw events), bounded by the
 * range. The range is widened to whole hours, the rollups' grain. Money stays in micro-dollars.
 */
export async function spendSeries(actor: Actor, raw: SpendQuery) {
  const q = SpendQuerySchema.parse(raw);
  const from = floorHour(q.from);
  const to = ceilHour(q.to);
  const timeZone = await orgTimeZone();
  const where = whereSql(actor, { ...q, from, to });
  const bucketSql = q.bucket === "hour" ? Prisma.sql`date_trunc('hour', r.hour)` : Prisma.sql`date_trunc(${q.bucket}, r.hour AT TIME ZONE 'UTC', ${timeZone})`;
  const [rows, [totals]] = await Promise.all([
    db().$queryRaw<{ t: Date; key: string; cost: bigint; calls: bigint; unpriced: bigint }[]>`
      SELECT ${bucketSql} AS t, ${GROUP_SQL[q.groupBy]} AS key, SUM(r."costMicros")::bigint AS cost, SUM(r.calls)::bigint AS calls, SUM(r."unpricedCalls")::bigint AS unpriced
      FROM usage_rollups_hourly r WHERE ${where} GROUP BY 1, 2`,
    db().$queryRaw<Totals[]>`SELECT ${TOTALS_SQL} FROM usage_rollups_hourly r WHERE ${where}`,
  ]);
  // The biggest groups get their own series; the rest are summed into "other".
  const byKey = new Map<string, bigint>();
  for (const r of rows) byKey.set(r.key, (byKey.get(r.key) ?? 0n) + r.cost);
  const ranked = [...byKey.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0])));
  const top = ranked.slice(0, MAX_SERIES);
  const named = await labels(q.groupBy, top.map(([k]) => k));
  const series = top.map(([key, cost]) => ({ key, label: named.get(key) ?? key, costMicros: cost }));
  const rest = ranked.slice(MAX_SERIES);
  if (rest.length) series.push({ key: "__other", label: `Other (${rest.length})`, costMicros: rest.reduce((s, [, c]) => s + c, 0n) });
  const seriesKey = new Map(top.map(([k]) => [k, k]));

  const points = new Map(bucketStarts(q.bucket, from, to, timeZone).map((t) => [t.getTime(), { t, values: new Map<string, bigint>() }]));
  for (const r of rows) {
    const p = points.get(new Date(r.t).getTime());
    if (!p) continue;
    const k = seriesKey.get(r.key) ?? "__other";
    p.values.set(k, (p.values.get(k) ?? 0n) + r.cost);
  }
  return {
    from,
    to,
    bucket: q.bucket,
    groupBy: q.groupBy,
    timeZone,
    series,
    points: [...points.values()].map((p) => ({ t: p.t, values: Object.fromEntries(p.values) as Record<string, bigint> })),
    totals,
  };
}

/** Top spenders for the range with the change against the previous period of the same length. */
export async function spendBreakdown(actor: Actor, raw: SpendBreakdownQuery) {
  const q = SpendBreakdownQuerySchema.parse(raw);
  const from = floorHour(q.from);
  const to = ceilHour(q.to);
  const prevFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const group = GROUP_SQL[q.groupBy];
  const [current, previous] = await Promise.all([
    db().$queryRaw<(Totals & { key: string })[]>`SELECT ${group} AS key, ${TOTALS_SQL} FROM usage_rollups_hourly r WHERE ${whereSql(actor, { ...q, from, to })} GROUP BY 1`,
    db().$queryRaw<{ key: string; costMicros: bigint }[]>`SELECT ${group} AS key, COALESCE(SUM(r."costMicros"), 0)::bigint AS "costMicros" FROM usage_rollups_hourly r WHERE ${whereSql(actor, { ...q, from: prevFrom, to: from })} GROUP BY 1`,
  ]);
  const prev = new Map(previous.map((p) => [p.key, p.costMicros]));
  const named = await labels(q.groupBy, current.map((c) => c.key));
  const rows = current
    .map((c) => {
      const before = prev.get(c.key) ?? 0n;
      return { ...c, label: named.get(c.key) ?? c.key, previousCostMicros: before, changePercent: before > 0n ? (Number(c.costMicros - before) / Number(before)) * 100 : null };
    })
    .sort((a, b) => (b.costMicros > a.costMicros ? 1 : b.costMicros < a.costMicros ? -1 : a.label.localeCompare(b.label)));
  return { from, to, previousFrom: prevFrom, groupBy: q.groupBy, rows };
}

/** Spend per hour (the rollups' UTC hours) or local day, for one budget's scope (an agent, a team, or everything): every bucket of [start, end), oldest first, 0 when idle. */
export async function bucketSpend(scope: { agentId?: string | null; teamId?: string | null }, bucket: "hour" | "day", start: Date, end: Date, timeZone: string) {
  const rows = await db().$queryRaw<{ day: Date; cost: bigint }[]>`
    SELECT ${bucket === "hour" ? Prisma.sql`r.hour` : Prisma.sql`date_trunc('day', r.hour AT TIME ZONE 'UTC', ${timeZone})`} AS day, SUM(r."costMicros")::bigint AS cost
    FROM usage_rollups_hourly r
    WHERE r.hour >= ${start}::timestamp(3) AND r.hour < ${end}::timestamp(3)
      ${scope.agentId ? Prisma.sql`AND r."agentId" = ${scope.agentId}` : Prisma.empty}
      ${scope.teamId ? Prisma.sql`AND r."teamId" = ${scope.teamId}` : Prisma.empty}
    GROUP BY 1`;
  const byStart = new Map(rows.map((r) => [new Date(r.day).getTime(), Number(r.cost)]));
  return bucketStarts(bucket, start, end, timeZone).map((d) => ({ day: d, micros: byStart.get(d.getTime()) ?? 0 }));
}
