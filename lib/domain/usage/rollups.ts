import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { SqlTx, Tx } from "@/lib/db/tx";
import { cappedMicros, sumMicros } from "../money-sql";

/*
 * The usage rollups: per agent × model × tool, by UTC hour (usage_rollups_hourly) and by local day in the
 * organisation time zone (usage_rollups_daily, the hourly rows summed). Ingestion adds to both in one statement;
 * changing the time zone rebuilds the daily ones from the hourly ones. Both hold under one advisory lock: ingestion
 * takes it shared before it reads the time zone, a time-zone change takes it exclusively, so no batch can add to
 * the days of a zone that is no longer the organisation's.
 */

/** Advisory lock key for "the time zone the daily rollups are kept in" (any constant unique in this database). */
const ROLLUP_ZONE_LOCK = 7_310_101;

export async function lockRollupZone(tx: SqlTx, mode: "shared" | "exclusive"): Promise<void> {
  if (mode === "shared") await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${ROLLUP_ZONE_LOCK}::bigint)`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROLLUP_ZONE_LOCK}::bigint)`;
}

/** SQL: the instant the local day holding `hour` starts, in `timeZone`, as a UTC timestamp. */
export function localDaySql(hour: Prisma.Sql, timeZone: string): Prisma.Sql {
  return Prisma.sql`(date_trunc('day', ${hour} AT TIME ZONE 'UTC', ${timeZone}) AT TIME ZONE 'UTC')`;
}

export type RollupDelta = {
  hour: Date;
  model: string;
  tool: string;
  calls: number;
  errors: number;
  unpriced: number;
  /** Token sums (a batch's fit in a double exactly: at most 1,000 events of at most 10⁸ tokens). */
  input: number;
  cached: number;
  output: number;
  cost: bigint;
};

const SUMS = ["calls", "errors", "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros"];
// Money saturates (lib/domain/money-sql.ts); the counts cannot reach their column's limit.
const addTo = (table: string) =>
  Prisma.join(
    SUMS.map((c) => {
      const [column, was] = [Prisma.raw(`"${c}"`), Prisma.raw(`${table}."${c}"`)];
      return c === "costMicros"
        ? Prisma.sql`${column} = ${cappedMicros(Prisma.sql`${was}::numeric + EXCLUDED.${column}`)}`
        : Prisma.sql`${column} = ${was} + EXCLUDED.${column}`;
    }),
    ",\n          ",
  );

/**
 * Adds one agent's batch to its hourly and daily rollups in one statement: the hourly upsert first (`deltas` sorted
 * by hour, model and tool), then the daily rows, in (day, model, tool) order, so concurrent batches lock rows in one
 * order. Each delta counts on the daily row of the team its hourly row carries (the team of the hour's first call,
 * should the agent move team mid-hour), so the daily rollups stay the hourly ones summed by day.
 * The caller holds the rollup-zone lock (shared) and read `timeZone` under it.
 */
export async function addToRollups(
  tx: SqlTx,
  agent: { id: string; teamId: string },
  timeZone: string,
  deltas: RollupDelta[],
): Promise<void> {
  if (!deltas.length) return;
  const col = <T>(f: (d: RollupDelta) => T) => deltas.map(f);
  // The main query reads the hourly upsert's RETURNING, so PostgreSQL runs that upsert first. The deltas travel as
  // one array per column, so the statement's text is the same whatever their number (prepared once: lib/db/lean.ts).
  await tx.$executeRaw`
    WITH v ("agentId", "teamId", "hour", "model", "tool", "calls", "errors", "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros")
      AS (SELECT ${agent.id}::text, ${agent.teamId}::text, u.* FROM unnest(${col((d) => d.hour)}::timestamp(3)[],
        ${col((d) => d.model)}::text[], ${col((d) => d.tool)}::text[], ${col((d) => d.calls)}::int[], ${col((d) => d.errors)}::int[],
        ${col((d) => d.unpriced)}::int[], ${col((d) => d.input.toString())}::bigint[], ${col((d) => d.cached.toString())}::bigint[],
        ${col((d) => d.output.toString())}::bigint[], ${col((d) => d.cost.toString())}::bigint[]) AS u),
    hourly AS (
      INSERT INTO usage_rollups_hourly ("agentId", "teamId", "hour", "model", "tool", "calls", "errors", "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros")
      SELECT * FROM v
      ON CONFLICT ("agentId", "hour", "model", "tool") DO UPDATE SET
          ${addTo("usage_rollups_hourly")}
      RETURNING "teamId", hour, model, tool)
    INSERT INTO usage_rollups_daily ("agentId", "teamId", "day", "model", "tool", "calls", "errors", "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros")
    SELECT v."agentId", h."teamId", ${localDaySql(Prisma.sql`v.hour`, timeZone)}, v.model, v.tool,
      SUM(v.calls), SUM(v.errors), SUM(v."unpricedCalls"), SUM(v."inputTokens"), SUM(v."cachedInputTokens"), SUM(v."outputTokens"), SUM(v."costMicros")
    FROM v JOIN hourly h ON h.hour = v.hour AND h.model = v.model AND h.tool = v.tool
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 3, 4, 5, 2
    ON CONFLICT ("agentId", "day", "model", "tool", "teamId") DO UPDATE SET
          ${addTo("usage_rollups_daily")}`;
}

/**
 * Recomputes every daily rollup from the hourly ones for `timeZone`; returns the rows written. The caller holds
 * the rollup-zone lock exclusively. Its cost grows with the hourly rollups (see `npm run bench`).
 */
export async function rebuildDailyRollups(tx: Tx, timeZone: string): Promise<number> {
  await tx.$executeRaw`DELETE FROM usage_rollups_daily`;
  return tx.$executeRaw`
    INSERT INTO usage_rollups_daily ("agentId", "teamId", "day", "model", "tool", "calls", "errors", "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros")
    SELECT r."agentId", r."teamId", ${localDaySql(Prisma.sql`r.hour`, timeZone)}, r.model, r.tool,
      SUM(r.calls), SUM(r.errors), SUM(r."unpricedCalls"), SUM(r."inputTokens"), SUM(r."cachedInputTokens"), SUM(r."outputTokens"), ${sumMicros(Prisma.sql`r."costMicros"`)}
    FROM usage_rollups_hourly r GROUP BY 1, 2, 3, 4, 5`;
}
