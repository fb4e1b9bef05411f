import "server-only";
import { db, withReader } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { type Actor, readableTeamIds } from "../actor";
import { periodEnd, periodStart } from "../budgets/periods";
import { sumMicros } from "../money-sql";
import { LATEST_REPORT_FIRST } from "../outcomes/latest";
import { orgTimeZone } from "../settings/queries";
import { type SpendBreakdownQuery, SpendBreakdownQuerySchema, type SpendQuery, SpendQuerySchema } from "./schemas";

type GroupBy = "agent" | "team" | "model" | "tool";
type Sums = { cost: bigint; calls: bigint; unpriced: bigint };
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

/** The filters every spend query shares over the rollups `r`: the actor's teams, a team, an agent, a model. */
function whereSql(actor: Actor, q: { teamId?: string; agentId?: string; model?: string }) {
  const teams = readableTeamIds(actor);
  return Prisma.sql`TRUE
    ${teams ? Prisma.sql`AND r."teamId" IN (${teams.length ? Prisma.join(teams) : Prisma.sql`NULL`})` : Prisma.empty}
    ${q.teamId ? Prisma.sql`AND r."teamId" = ${q.teamId}` : Prisma.empty}
    ${q.agentId ? Prisma.sql`AND r."agentId" = ${q.agentId}` : Prisma.empty}
    ${q.model ? Prisma.sql`AND r.model = ${q.model}` : Prisma.empty}`;
}

const ROLLUP_COLUMNS = Prisma.raw(
  `"agentId", "teamId", model, tool, calls, errors, "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros"`,
);

/**
 * The rollups covering the whole hours [from, to), as one relation with an `hour` column: for day grain, the daily
 * rollups of every local day wholly inside the range (`hour` is the instant the day starts) and the hourly ones at
 * either edge; for hour grain, the hourly ones. An hour belongs to the local day its start falls in, as in the
 * daily rollups. Money and counts sum to the same totals either way (spend.int.test.ts).
 */
export function rollupsIn(grain: "hour" | "day", from: Date, to: Date, timeZone: string): Prisma.Sql {
  const hourly = (a: Date, b: Date) =>
    Prisma.sql`SELECT hour, ${ROLLUP_COLUMNS} FROM usage_rollups_hourly WHERE hour >= ${a}::timestamp(3) AND hour < ${b}::timestamp(3)`;
  if (grain === "day") {
    // The first local day whose hours all lie at or after `from`, and the day after the last one wholly before `to`.
    let first = periodStart("day", from, timeZone);
    if (ceilHour(first) < from) first = periodEnd("day", first, timeZone);
    const end = periodStart("day", to, timeZone);
    if (first < end)
      return Prisma.sql`(SELECT day AS hour, ${ROLLUP_COLUMNS} FROM usage_rollups_daily WHERE day >= ${first}::timestamp(3) AND day < ${end}::timestamp(3)
        UNION ALL ${hourly(from, ceilHour(first))}
        UNION ALL ${hourly(ceilHour(end), to)})`;
  }
  return Prisma.sql`(${hourly(from, to)})`;
}

async function labels(groupBy: GroupBy, keys: string[]): Promise<Map<string, string>> {
  if (groupBy === "agent")
    return new Map(
      (await db().agent.findMany({ where: { id: { in: keys } }, select: { id: true, slug: true } })).map((a) => [
        a.id,
        a.slug,
      ]),
    );
  if (groupBy === "team")
    return new Map(
      (await db().team.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } })).map((t) => [
        t.id,
        t.name,
      ]),
    );
  return new Map(keys.map((k) => [k, k === "" ? "(no tool)" : k]));
}

/**
 * The cost of a set of calls, or null when every one of them is unpriced: their cost is unknown, never $0.
 * Calls that are partly unpriced keep the priced cost; the unpriced count travels beside it.
 */
export function pricedCost(costMicros: bigint, calls: bigint, unpricedCalls: bigint): bigint | null {
  return calls > 0n && unpricedCalls >= calls ? null : costMicros;
}

type Totals = {
  costMicros: bigint;
  calls: bigint;
  errors: bigint;
  unpricedCalls: bigint;
  inputTokens: bigint;
  cachedInputTokens: bigint;
  outputTokens: bigint;
};
const TOTALS_SQL = Prisma.sql`${sumMicros(Prisma.sql`r."costMicros"`)} AS "costMicros", COALESCE(SUM(r.calls), 0)::bigint AS calls,
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
  const where = whereSql(actor, q);
  const rollups = rollupsIn(q.bucket === "hour" ? "hour" : "day", from, to, timeZone);
  const bucketSql =
    q.bucket === "hour"
      ? Prisma.sql`date_trunc('hour', r.hour)`
      : Prisma.sql`date_trunc(${q.bucket}, r.hour AT TIME ZONE 'UTC', ${timeZone})`;
  const [rows, [totals]] = await withReader((reader) =>
    Promise.all([
      reader.$queryRaw<{ t: Date; key: string; cost: bigint; calls: bigint; unpriced: bigint }[]>`
        SELECT ${bucketSql} AS t, ${GROUP_SQL[q.groupBy]} AS key, ${sumMicros(Prisma.sql`r."costMicros"`)} AS cost, SUM(r.calls)::bigint AS calls, SUM(r."unpricedCalls")::bigint AS unpriced
        FROM ${rollups} r WHERE ${where} GROUP BY 1, 2`,
      reader.$queryRaw<Totals[]>`SELECT ${TOTALS_SQL} FROM ${rollups} r WHERE ${where}`,
    ]),
  );
  // The biggest groups get their own series; the rest are summed into "other".
  const add = (m: Map<string, Sums>, k: string, r: { cost: bigint; calls: bigint; unpriced: bigint }) => {
    const x = m.get(k) ?? { cost: 0n, calls: 0n, unpriced: 0n };
    m.set(k, { cost: x.cost + r.cost, calls: x.calls + r.calls, unpriced: x.unpriced + r.unpriced });
  };
  const byKey = new Map<string, Sums>();
  for (const r of rows) add(byKey, r.key, r);
  const ranked = [...byKey.entries()].sort((a, b) =>
    b[1].cost > a[1].cost ? 1 : b[1].cost < a[1].cost ? -1 : a[0].localeCompare(b[0]),
  );
  const top = ranked.slice(0, MAX_SERIES);
  const named = await labels(
    q.groupBy,
    top.map(([k]) => k),
  );
  const entry = (key: string, label: string, x: Sums) => ({
    key,
    label,
    costMicros: pricedCost(x.cost, x.calls, x.unpriced),
    calls: x.calls,
    unpricedCalls: x.unpriced,
  });
  const series = top.map(([key, x]) => entry(key, named.get(key) ?? key, x));
  const rest = ranked.slice(MAX_SERIES);
  if (rest.length) {
    const other = new Map<string, Sums>();
    for (const [, x] of rest) add(other, "__other", { cost: x.cost, calls: x.calls, unpriced: x.unpriced });
    series.push(entry("__other", `Other (${rest.length})`, other.get("__other")!));
  }
  const seriesKey = new Map(top.map(([k]) => [k, k]));

  const points = new Map(
    bucketStarts(q.bucket, from, to, timeZone).map((t) => [t.getTime(), { t, values: new Map<string, Sums>() }]),
  );
  for (const r of rows) {
    const p = points.get(new Date(r.t).getTime());
    if (!p) continue;
    add(p.values, seriesKey.get(r.key) ?? "__other", r);
  }
  return {
    from,
    to,
    bucket: q.bucket,
    groupBy: q.groupBy,
    timeZone,
    series,
    // Per bucket and series: the priced cost, or null when that bucket's calls were all unpriced; and the
    // bucket's unpriced calls.
    points: [...points.values()].map((p) => ({
      t: p.t,
      values: Object.fromEntries([...p.values].map(([k, x]) => [k, pricedCost(x.cost, x.calls, x.unpriced)])) as Record<
        string,
        bigint | null
      >,
      unpricedCalls: [...p.values.values()].reduce((n, x) => n + x.unpriced, 0n),
    })),
    totals: { ...totals, costMicros: pricedCost(totals.costMicros, totals.calls, totals.unpricedCalls) },
  };
}

/** Top spenders for the range with the change against the previous period of the same length. */
export async function spendBreakdown(actor: Actor, raw: SpendBreakdownQuery) {
  const q = SpendBreakdownQuerySchema.parse(raw);
  const from = floorHour(q.from);
  const to = ceilHour(q.to);
  const prevFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const group = GROUP_SQL[q.groupBy];
  const timeZone = await orgTimeZone();
  const where = whereSql(actor, q);
  const [current, previous, outcomes] = await withReader((reader) =>
    Promise.all([
      reader.$queryRaw<
        (Totals & { key: string })[]
      >`SELECT ${group} AS key, ${TOTALS_SQL} FROM ${rollupsIn("day", from, to, timeZone)} r WHERE ${where} GROUP BY 1`,
      reader.$queryRaw<
        { key: string; costMicros: bigint; calls: bigint; unpricedCalls: bigint }[]
      >`SELECT ${group} AS key, ${TOTALS_SQL} FROM ${rollupsIn("day", prevFrom, from, timeZone)} r WHERE ${where} GROUP BY 1`,
      // Outcomes belong to agents (and so teams), not to models or tools; a model filter leaves them out.
      (q.groupBy === "agent" || q.groupBy === "team") && !q.model
        ? reader.$queryRaw<{ key: string; outcomes: number; successes: number; cost: number }[]>`
            WITH o AS (
              -- The outcomes of the agents in view (the filters pushed down), each task once per type as its
              -- latest report says.
              SELECT DISTINCT ON (r."agentId", r."outcomeTypeId", r."taskId") r."agentId", r."teamId", r."taskId", r.success
              FROM (SELECT x.*, a."teamId" FROM outcomes x JOIN agents a ON a.id = x."agentId") r
              WHERE ${where} AND r."timestamp" >= ${from}::timestamp(3) AND r."timestamp" < ${to}::timestamp(3)
              ORDER BY r."agentId", r."outcomeTypeId", r."taskId", ${LATEST_REPORT_FIRST}
            ), t AS (
              -- Each task once, whatever types it reported: successful when any of its latest reports is.
              SELECT "agentId", "teamId", "taskId", bool_or(success) AS success FROM o GROUP BY 1, 2, 3
            ), cost AS (
              SELECT t."agentId", sum(u."costMicros") AS cost
              FROM t JOIN usage_events u ON u."agentId" = t."agentId" AND u."taskId" = t."taskId"
              GROUP BY 1
            ), r AS (
              SELECT t."agentId", t."teamId", count(*) AS outcomes, count(*) FILTER (WHERE t.success) AS successes,
                COALESCE(max(c.cost), 0) AS cost
              FROM t LEFT JOIN cost c ON c."agentId" = t."agentId"
              GROUP BY t."agentId", t."teamId"
            )
            SELECT ${group} AS key, sum(outcomes)::int AS outcomes, sum(successes)::int AS successes,
              sum(cost)::float8 AS cost
            FROM r GROUP BY 1`
        : Promise.resolve(null),
    ]),
  );
  const achieved = outcomes && new Map(outcomes.map((o) => [o.key, o]));
  // No usage in the previous period is $0 spent then; only unpriced usage then is an unknown cost (null).
  const prev = new Map(previous.map((p) => [p.key, pricedCost(p.costMicros, p.calls, p.unpricedCalls)]));
  const named = await labels(
    q.groupBy,
    current.map((c) => c.key),
  );
  const rows = current
    .map((c) => {
      const cost = pricedCost(c.costMicros, c.calls, c.unpricedCalls);
      const before = prev.has(c.key) ? prev.get(c.key)! : 0n;
      const changePercent =
        cost !== null && before !== null && before > 0n ? (Number(cost - before) / Number(before)) * 100 : null;
      const o = achieved?.get(c.key);
      return {
        ...c,
        costMicros: cost,
        label: named.get(c.key) ?? c.key,
        previousCostMicros: before,
        changePercent,
        // Null when outcomes do not apply (grouped by model or tool); zeros when none were reported.
        outcomes: achieved
          ? { count: o?.outcomes ?? 0, successes: o?.successes ?? 0, taskCostMicros: o?.cost ?? 0 }
          : null,
      };
    })
    .sort((a, b) => {
      const [x, y] = [a.costMicros ?? -1n, b.costMicros ?? -1n];
      return y > x ? 1 : y < x ? -1 : a.label.localeCompare(b.label);
    });
  return { from, to, previousFrom: prevFrom, groupBy: q.groupBy, rows };
}

/** One bucket's spend by one agent (and its team). */
export type ScopedSpend = { agentId: string; teamId: string; at: Date; micros: number };

/**
 * Spend per hour (the rollups' UTC hours) or local day in [start, end), per agent and team, for every agent in one
 * statement: views over many budgets slice it per budget (see sliceSpend) instead of asking once per budget.
 */
export async function spendByAgentAndBucket(
  bucket: "hour" | "day",
  start: Date,
  end: Date,
  timeZone: string,
): Promise<ScopedSpend[]> {
  const rows = await withReader(
    (reader) => reader.$queryRaw<{ agentId: string; teamId: string; at: Date; cost: bigint }[]>`
      SELECT r."agentId", r."teamId",
        ${bucket === "hour" ? Prisma.sql`r.hour` : Prisma.sql`date_trunc('day', r.hour AT TIME ZONE 'UTC', ${timeZone})`} AS at,
        ${sumMicros(Prisma.sql`r."costMicros"`)} AS cost
      FROM ${rollupsIn(bucket, start, end, timeZone)} r
      GROUP BY 1, 2, 3`,
  );
  return rows.map((r) => ({ agentId: r.agentId, teamId: r.teamId, at: new Date(r.at), micros: Number(r.cost) }));
}

/**
 * One budget's scope (an agent, a team, or everything) out of `rows`: every bucket of [start, end), oldest first,
 * 0 when idle. `rows` are the scope's rows (see indexSpend), so each budget reads only its own.
 */
export function sliceSpend(rows: ScopedSpend[], bucket: "hour" | "day", start: Date, end: Date, timeZone: string) {
  const byStart = new Map<number, number>();
  for (const r of rows) {
    const t = r.at.getTime();
    if (t >= start.getTime() && t < end.getTime()) byStart.set(t, (byStart.get(t) ?? 0) + r.micros);
  }
  return bucketStarts(bucket, start, end, timeZone).map((d) => ({ day: d, micros: byStart.get(d.getTime()) ?? 0 }));
}

/** `rows` by agent and by team, and all of them (the organisation's). */
export function indexSpend(rows: ScopedSpend[]) {
  const byAgent = new Map<string, ScopedSpend[]>();
  const byTeam = new Map<string, ScopedSpend[]>();
  const add = (m: Map<string, ScopedSpend[]>, k: string, r: ScopedSpend) => {
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  };
  for (const r of rows) {
    add(byAgent, r.agentId, r);
    add(byTeam, r.teamId, r);
  }
  return (scope: { agentId?: string | null; teamId?: string | null }) =>
    scope.agentId ? (byAgent.get(scope.agentId) ?? []) : scope.teamId ? (byTeam.get(scope.teamId) ?? []) : rows;
}
