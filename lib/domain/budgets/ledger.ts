import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { queryRawThenCommit, type SqlTx, type Tx } from "@/lib/db/tx";
import { cappedMicros, sumMicros } from "../money-sql";
import { orgPeriodZone } from "../settings/queries";
import { budgetAdmits } from "./admit";
import { type Period, type PeriodZone, periodEnd, periodStart } from "./periods";

/*
 * The budget ledger: the one owner of `budget_period_usage` (a budget's spend and live reservations per period).
 * Other areas reserve, release, charge and read through these functions, never with their own SQL.
 */

export type BudgetRow = {
  id: string;
  scope: "agent" | "team" | "org";
  agentId: string | null;
  teamId: string | null;
  period: Period;
  limitMicros: bigint;
  thresholds: number[];
  hardAction: "block" | "degrade" | "notify";
  name: string;
  /** The organisation time zone its periods start in (across its changes). */
  timeZone: PeriodZone;
};

/**
 * SQL: a budget (alias `b`) covers the agent whose id and team these are (values, or the columns of a query's agent):
 * live, and the agent's own, its team's or the organisation's. Ingestion and the simulator read the covering budgets
 * with it (`coveringBudgets`), authorize within its one statement.
 */
export const coversAgent = (agentId: string | Prisma.Sql, teamId: string | Prisma.Sql) =>
  Prisma.sql`b."archivedAt" IS NULL
    AND ((b.scope = 'agent' AND b."agentId" = ${agentId}) OR (b.scope = 'team' AND b."teamId" = ${teamId}) OR b.scope = 'org')`;

/** Every live budget covering an agent: its own, its team's and the organisation's. Sorted by id so locks are taken in one order. */
export async function coveringBudgets(
  tx: Pick<SqlTx, "$queryRaw">,
  agent: { id: string; teamId: string },
  knownTimeZone?: PeriodZone,
): Promise<BudgetRow[]> {
  const [budgets, timeZone] = await Promise.all([
    tx.$queryRaw<Omit<BudgetRow, "timeZone">[]>`
      SELECT id, scope::text AS scope, "agentId", "teamId", period::text AS period, "limitMicros", thresholds,
        "hardAction"::text AS "hardAction", name
      FROM budgets b WHERE ${coversAgent(agent.id, agent.teamId)}
      ORDER BY id`,
    knownTimeZone ?? orgPeriodZone(tx),
  ]);
  return budgets.map((b) => ({ ...b, timeZone }));
}

/** The rollup rows (alias `r`) a budget counts: its agent's, its team's, or all. */
function rollupScope(b: Pick<BudgetRow, "scope" | "agentId" | "teamId">) {
  return b.scope === "agent"
    ? Prisma.sql`AND r."agentId" = ${b.agentId}`
    : b.scope === "team"
      ? Prisma.sql`AND r."teamId" = ${b.teamId}`
      : Prisma.empty;
}

/**
 * Makes sure each budget's row for the period starting at `start` exists, in one statement, in (budget, period)
 * order. A new row starts from the period's spend in the hourly rollups (so a budget created mid-period counts what
 * was already spent); afterwards ingestion keeps it current. Where the row exists (the hot path) nothing is scanned,
 * written or locked.
 */
export async function ensurePeriodRows(tx: SqlTx, items: { b: BudgetRow; start: Date }[]): Promise<void> {
  if (items.length === 0) return;
  const sum = (scope: Prisma.Sql) =>
    Prisma.sql`(SELECT SUM(r."costMicros") FROM usage_rollups_hourly r WHERE r.hour >= w.start AND r.hour < w.fin ${scope})`;
  await tx.$executeRaw`
    INSERT INTO budget_period_usage ("budgetId", "periodStart", "spentMicros", "reservedMicros", "updatedAt")
    SELECT w.id, w.start,
      ${cappedMicros(Prisma.sql`COALESCE(CASE w.scope WHEN 'agent' THEN ${sum(Prisma.sql`AND r."agentId" = w.owner`)}
        WHEN 'team' THEN ${sum(Prisma.sql`AND r."teamId" = w.owner`)} ELSE ${sum(Prisma.empty)} END, 0)`)}, 0, now()
    FROM unnest(${items.map((i) => i.b.id)}::text[], ${items.map((i) => i.start.toISOString())}::timestamp(3)[],
      ${items.map((i) => periodEnd(i.b.period, i.start, i.b.timeZone).toISOString())}::timestamp(3)[],
      ${items.map((i) => i.b.scope)}::text[], ${items.map((i) => (i.b.scope === "agent" ? i.b.agentId : i.b.teamId))}::text[])
      AS w(id, start, fin, scope, owner)
    WHERE NOT EXISTS (SELECT 1 FROM budget_period_usage x WHERE x."budgetId" = w.id AND x."periodStart" = w.start)
    ORDER BY w.id, w.start
    ON CONFLICT ("budgetId", "periodStart") DO NOTHING`;
}

/** One budget's period, as a map key. */
export const periodKey = (budgetId: string, start: Date) => `${budgetId}|${start.getTime()}`;

export type Reservation = { budgetId: string; periodStart: string };

/** A period row's spend and reservations (after this call's reservation, when it made one). */
export type PeriodBalance = { spent: bigint; reserved: bigint };

/**
 * Reserves `amount` against each budget's row for its period (`start`), where the budget admits it, in one
 * statement: the rows are locked in budget id order (one lock order for every caller, so concurrent calls queue
 * rather than deadlock), and each condition is rechecked on the locked, newest version before reserving (a row that
 * no longer admits is passed over, not queued on). The condition is budgetAdmits in ./admit.ts, which the simulator
 * uses. Answers each admitting budget's balance after the reservation; a budget that refused, or whose period row
 * does not exist yet, has none (`missing` tells which).
 *
 * `onlyIfReady`: lock and reserve nothing unless every row exists and admits the amount as the statement starts
 * (`ready`). A caller that is not ready makes the rows and releases expired reservations holding no budget lock,
 * then asks again without it; so no caller ever takes a budget lock while it holds another one out of order.
 * With nothing to reserve, a plain read decides, so calls without an estimate neither queue on nor rewrite the
 * rows (every agent's calls share the organisation budget's row).
 *
 * `alongside`: a write of the caller's to run in the same statement (a common table expression, which PostgreSQL
 * runs to completion whatever the rest does), saving it a round trip; it runs even when there is no budget.
 *
 * `last`: the statement ends the transaction (its COMMIT goes with it, `queryRawThenCommit`), so it writes all or
 * nothing. It reserves, and runs the caller's write (made with the condition it is given), only when every row
 * exists and admits the amount without exhausting any budget that acts on it (`block` and `degrade`), as checked on
 * the rows once locked (`ready`); otherwise it writes nothing, and the caller starts over without it.
 */
export async function reserveBudgets(
  tx: SqlTx,
  items: { b: BudgetRow; start: Date }[],
  amount: bigint,
  {
    onlyIfReady = false,
    alongside,
    last,
    lastIf = Prisma.sql`true`,
  }: {
    onlyIfReady?: boolean;
    alongside?: Prisma.Sql;
    last?: (when: Prisma.Sql) => Prisma.Sql;
    /** With `last`: a condition it also needs, read in its statement (else it writes nothing and is not ready). */
    lastIf?: Prisma.Sql;
  } = {},
): Promise<{ balances: Map<string, PeriodBalance>; missing: Set<string>; ready: boolean }> {
  const balances = new Map<string, PeriodBalance>();
  const missing = new Set<string>();
  // The last statement runs on its generic plan: planned afresh per call it cost ~0.7 ms of a ~4.5 ms authorize here,
  // and its generic plan (the lists estimated at 10 rows) reads every table by its key, as the custom plans do; checked
  // with EXPLAIN at 300,000 period rows.
  const query = <T>(sql: Prisma.Sql) =>
    last ? queryRawThenCommit<T>(tx, sql, { genericPlan: true }) : tx.$queryRaw<T>(sql);
  if (items.length === 0) {
    if (last) {
      const [row] = await query<{ ok: boolean }[]>(
        Prisma.sql`WITH go AS (SELECT ${lastIf} AS ok), alongside AS (${last(Prisma.sql`(SELECT ok FROM go)`)}) SELECT ok FROM go`,
      );
      return { balances, missing, ready: Boolean(row?.ok) };
    }
    if (alongside) await tx.$executeRaw(alongside);
    return { balances, missing, ready: true };
  }
  // What decides, and the condition the caller's last write runs under.
  const decides = last ? Prisma.sql`(SELECT ok FROM go)` : Prisma.sql`(SELECT ok FROM ready)`;
  // PostgreSQL runs a write no part of the statement reads once the rest is done, to completion.
  const also = last
    ? Prisma.sql`, alongside AS (${last(decides)})`
    : alongside
      ? Prisma.sql`, alongside AS (${alongside})`
      : Prisma.empty;
  const ids = items.map((i) => i.b.id);
  const starts = items.map((i) => i.start.toISOString());
  const limits = items.map((i) => i.b.limitMicros.toString());
  // The budgets the amount must fit under: `block` ones, and `degrade` ones too for a last statement.
  const strict = items.map((i) => i.b.hardAction === "block" || (Boolean(last) && i.b.hardAction === "degrade"));
  const fits = (alias: "u" | "x") => {
    const used = Prisma.raw(`(${alias}."spentMicros"::numeric + ${alias}."reservedMicros")`);
    return Prisma.sql`((${used} + ${amount}::bigint <= w.lim AND ${used} < w.lim) OR NOT w.strict)`;
  };
  const want = Prisma.sql`want AS (
      SELECT * FROM unnest(${ids}::text[], ${starts}::timestamp(3)[], ${limits}::bigint[], ${strict}::boolean[])
        AS w(id, start, lim, strict)
    ),
    ready AS (
      SELECT bool_and(x."budgetId" IS NOT NULL AND ${fits("x")}) AS ok
      FROM want w LEFT JOIN budget_period_usage x ON x."budgetId" = w.id AND x."periodStart" = w.start
    )`;
  type Row = { budgetId: string; present: boolean; spent: bigint | null; reserved: bigint | null; ready: boolean };
  const rows =
    amount === 0n
      ? await query<Row[]>(Prisma.sql`
          WITH ${want}, go AS (SELECT ok AND ${lastIf} AS ok FROM ready) ${also}
          SELECT w.id AS "budgetId", u."budgetId" IS NOT NULL AS present, u."spentMicros" AS spent,
            u."reservedMicros" AS reserved, ${decides} AS ready
          FROM want w LEFT JOIN budget_period_usage u ON u."budgetId" = w.id AND u."periodStart" = w.start`)
      : await query<Row[]>(Prisma.sql`
          WITH ${want},
          locked AS (
            SELECT u."budgetId", u."periodStart" FROM budget_period_usage u
            JOIN want w ON u."budgetId" = w.id AND u."periodStart" = w.start
            WHERE ${fits("u")} AND (NOT ${onlyIfReady || Boolean(last)} OR (SELECT ok FROM ready))
            ORDER BY u."budgetId" FOR UPDATE OF u
          ),
          go AS (SELECT count(*) = ${items.length} AND ${lastIf} AS ok FROM locked),
          reserved AS (
            UPDATE budget_period_usage u SET "reservedMicros" = ${cappedMicros(Prisma.sql`u."reservedMicros"::numeric + ${amount}::bigint`)}, "updatedAt" = now()
            FROM want w, locked l
            WHERE l."budgetId" = u."budgetId" AND l."periodStart" = u."periodStart"
              AND w.id = u."budgetId" AND w.start = u."periodStart" AND ${fits("u")}
              AND (NOT ${Boolean(last)} OR (SELECT ok FROM go))
            RETURNING u."budgetId", u."spentMicros", u."reservedMicros"
          ) ${also}
          SELECT w.id AS "budgetId", p."budgetId" IS NOT NULL AS present, r."spentMicros" AS spent,
            r."reservedMicros" AS reserved, ${decides} AS ready
          FROM want w
          LEFT JOIN budget_period_usage p ON p."budgetId" = w.id AND p."periodStart" = w.start
          LEFT JOIN reserved r ON r."budgetId" = w.id`);
  const byId = new Map(items.map((i) => [i.b.id, i.b]));
  for (const r of rows) {
    if (!r.present) missing.add(r.budgetId);
    else if (r.spent !== null && r.reserved !== null) {
      const balance = { spent: r.spent, reserved: r.reserved };
      // The read path decides here; the reserving path decided in SQL (only admitting rows come back).
      if (amount > 0n || budgetAdmits(byId.get(r.budgetId)!, balance.spent, balance.reserved, 0n))
        balances.set(r.budgetId, balance);
    }
  }
  return { balances, missing, ready: Boolean(rows[0]?.ready) };
}

/** Gives back what one call reserved (`amount` in each period) before it was refused; never below zero. */
export async function cancelReservations(tx: SqlTx, reservations: Reservation[], amount: bigint) {
  if (reservations.length === 0) return;
  await updatePeriodRows(
    tx,
    reservations.map((r) => ({ budgetId: r.budgetId, start: r.periodStart, amount })),
    GIVE_BACK,
  );
}

type PeriodAmount = { budgetId: string; start: Date | string; amount: bigint };

const GIVE_BACK = Prisma.sql`"reservedMicros" = GREATEST(u."reservedMicros" - w.amount, 0)`;

/**
 * One UPDATE of many budgets' period rows, `set` reading each row's summed amount as `w.amount`: the rows are locked
 * in (budget, period) order, as every writer locks them, so concurrent writers queue instead of deadlocking.
 * Answers each updated row's spend after the update.
 */
function updatePeriodRows(tx: SqlTx, items: PeriodAmount[], set: Prisma.Sql) {
  return tx.$queryRaw<{ budgetId: string; periodStart: Date; spent: bigint }[]>`
    WITH w AS (
      SELECT id, start, SUM(amount)::bigint AS amount
      FROM unnest(${items.map((i) => i.budgetId)}::text[],
        ${items.map((i) => (typeof i.start === "string" ? i.start : i.start.toISOString()))}::timestamp(3)[],
        ${items.map((i) => i.amount.toString())}::bigint[]) AS w(id, start, amount)
      GROUP BY id, start
    ),
    locked AS MATERIALIZED (
      SELECT u."budgetId", u."periodStart" FROM budget_period_usage u JOIN w ON u."budgetId" = w.id AND u."periodStart" = w.start
      ORDER BY u."budgetId", u."periodStart" FOR UPDATE OF u
    )
    UPDATE budget_period_usage u SET ${set}, "updatedAt" = now()
    FROM w, locked l
    WHERE l."budgetId" = u."budgetId" AND l."periodStart" = u."periodStart" AND w.id = u."budgetId" AND w.start = u."periodStart"
    RETURNING u."budgetId", u."periodStart", u."spentMicros" AS spent`;
}

/**
 * Adds recorded spend to budgets' period rows in one statement (amounts for the same period summed); answers each
 * row's new total by periodKey (a row that does not exist is left out).
 */
export async function chargeSpend(
  tx: SqlTx,
  deltas: { budgetId: string; start: Date; micros: bigint }[],
): Promise<Map<string, bigint>> {
  if (deltas.length === 0) return new Map();
  const rows = await updatePeriodRows(
    tx,
    deltas.map((d) => ({ budgetId: d.budgetId, start: d.start, amount: d.micros })),
    Prisma.sql`"spentMicros" = ${cappedMicros(Prisma.sql`u."spentMicros"::numeric + w.amount`)}`,
  );
  return new Map(rows.map((r) => [periodKey(r.budgetId, r.periodStart), r.spent]));
}

/** Gives back reserved amounts (on settlement or expiry) in one statement; never below zero. */
async function releaseReservations(tx: SqlTx, rows: { reservations: unknown; estimatedMicros: bigint | null }[]) {
  const held = rows.flatMap((row) =>
    row.estimatedMicros && Array.isArray(row.reservations)
      ? (row.reservations as Reservation[]).map((r) => ({
          budgetId: r.budgetId,
          start: r.periodStart,
          amount: row.estimatedMicros!,
        }))
      : [],
  );
  if (held.length)
    await updatePeriodRows(tx, held, Prisma.sql`"reservedMicros" = GREATEST(u."reservedMicros" - w.amount, 0)`);
}

/** Settles the agent's named decisions that are still open, giving back what they reserved (usage arrived). */
export async function settleDecisions(tx: SqlTx, agentId: string, decisionIds: string[]) {
  const settled = await tx.$queryRaw<{ reservations: unknown; estimatedMicros: bigint | null }[]>`
          UPDATE decisions SET "settledAt" = now() WHERE id = ANY(${decisionIds}::text[]) AND "agentId" = ${agentId} AND "settledAt" IS NULL
          RETURNING reservations, "estimatedMicros"`;
  await releaseReservations(tx, settled);
}

/** Releases reservations whose decisions were never settled by usage and have expired (bounded per call). */
export async function releaseExpiredReservations(tx: SqlTx, now: Date, limit = 100) {
  const rows = await tx.$queryRaw<{ reservations: unknown; estimatedMicros: bigint | null }[]>`
    UPDATE decisions SET "settledAt" = ${now}::timestamp(3)
    WHERE id IN (
      SELECT id FROM decisions WHERE "settledAt" IS NULL AND "reservationExpiresAt" < ${now}::timestamp(3)
      ORDER BY "reservationExpiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING reservations, "estimatedMicros"`;
  await releaseReservations(tx, rows);
  return rows.length;
}

export type PeriodUsage = { periodStart: Date; resetsAt: Date; spentMicros: bigint; reservedMicros: bigint };

/**
 * A budget's spend and reservations in the period containing `at`, read without writing: the period's row when
 * it exists, else the spend in the hourly rollups (what ensurePeriodRows would start the row from).
 */
export async function readPeriodUsage(client: Tx | Db, b: BudgetRow, at: Date): Promise<PeriodUsage> {
  const start = periodStart(b.period, at, b.timeZone);
  const resetsAt = periodEnd(b.period, at, b.timeZone);
  const row = await client.budgetPeriodUsage.findUnique({
    where: { budgetId_periodStart: { budgetId: b.id, periodStart: start } },
  });
  if (row) return { periodStart: start, resetsAt, spentMicros: row.spentMicros, reservedMicros: row.reservedMicros };
  const sum = await client.usageRollupHourly.aggregate({
    where: {
      hour: { gte: start, lt: resetsAt },
      ...(b.scope === "agent" ? { agentId: b.agentId! } : b.scope === "team" ? { teamId: b.teamId! } : {}),
    },
    _sum: { costMicros: true },
  });
  return { periodStart: start, resetsAt, spentMicros: sum._sum.costMicros ?? 0n, reservedMicros: 0n };
}

/**
 * readPeriodUsage for many budgets at once, in a fixed number of queries however many budgets: one read of their
 * period rows, then for the budgets without a row one rollup sum per period length (day, week, month).
 */
export async function readPeriodUsages(
  client: Tx | Db,
  budgets: BudgetRow[],
  at: Date,
): Promise<Map<string, PeriodUsage>> {
  const out = new Map<string, PeriodUsage>();
  if (budgets.length === 0) return out;
  const span = periodSpans(budgets, at);
  const rows = await client.budgetPeriodUsage.findMany({
    where: { OR: budgets.map((b) => ({ budgetId: b.id, periodStart: span.get(b.id)!.start })) },
  });
  for (const r of rows) {
    const s = span.get(r.budgetId)!;
    if (r.periodStart.getTime() !== s.start.getTime()) continue;
    out.set(r.budgetId, {
      periodStart: s.start,
      resetsAt: s.end,
      spentMicros: r.spentMicros,
      reservedMicros: r.reservedMicros,
    });
  }
  // Budgets without a row this period: their spend in the hourly rollups.
  const spent = await sumRollupsPerBudget(
    client,
    budgets.filter((b) => !out.has(b.id)),
    span,
    "costMicros",
  );
  for (const [id, micros] of spent) {
    const { start, end } = span.get(id)!;
    out.set(id, { periodStart: start, resetsAt: end, spentMicros: micros, reservedMicros: 0n });
  }
  return out;
}

/** Each budget's period containing `at`. */
const periodSpans = (budgets: BudgetRow[], at: Date) =>
  new Map(
    budgets.map((b) => [
      b.id,
      { start: periodStart(b.period, at, b.timeZone), end: periodEnd(b.period, at, b.timeZone) },
    ]),
  );

/**
 * Calls in each budget's period containing `at` whose model had no price: its spend counts each at its estimate when
 * it had one, else at nothing, so the spend can be short by their real cost. One query per period length, reading only
 * the hourly rollups that have unpriced calls (a partial index: usually none).
 */
export function readUnpricedCalls(client: Tx | Db, budgets: BudgetRow[], at: Date): Promise<Map<string, bigint>> {
  return sumRollupsPerBudget(client, budgets, periodSpans(budgets, at), "unpricedCalls");
}

/**
 * One column of the hourly rollups summed over each budget's scope and span: one grouped query per distinct span
 * (per period length, since budgets share the organisation's period zone), however many budgets. For unpriced calls
 * only the rollups that have some are read.
 */
async function sumRollupsPerBudget(
  client: Tx | Db,
  budgets: BudgetRow[],
  span: Map<string, { start: Date; end: Date }>,
  column: "costMicros" | "unpricedCalls",
): Promise<Map<string, bigint>> {
  const groups = new Map<string, BudgetRow[]>();
  for (const b of budgets) {
    const s = span.get(b.id)!;
    const key = `${s.start.getTime()}-${s.end.getTime()}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const out = new Map<string, bigint>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const { start, end } = span.get(group[0].id)!;
      const org = group.some((b) => b.scope === "org");
      const agentIds = group.flatMap((b) => (b.scope === "agent" && b.agentId ? [b.agentId] : []));
      const teamIds = group.flatMap((b) => (b.scope === "team" && b.teamId ? [b.teamId] : []));
      const sums = await client.$queryRaw<{ agentId: string; teamId: string; sum: bigint }[]>`
        SELECT "agentId", "teamId", ${sumMicros(Prisma.raw(`"${column}"`))} AS sum FROM usage_rollups_hourly
        WHERE hour >= ${start}::timestamp(3) AND hour < ${end}::timestamp(3)
          ${column === "unpricedCalls" ? Prisma.sql`AND "unpricedCalls" > 0` : Prisma.empty}
          ${org ? Prisma.empty : Prisma.sql`AND ("agentId" = ANY(${agentIds}::text[]) OR "teamId" = ANY(${teamIds}::text[]))`}
        GROUP BY 1, 2`;
      for (const b of group) {
        let sum = 0n;
        for (const s of sums)
          if (b.scope === "org" || (b.scope === "agent" ? s.agentId === b.agentId : s.teamId === b.teamId))
            sum += s.sum;
        out.set(b.id, sum);
      }
    }),
  );
  return out;
}

export type PeriodSpend = { periodStart: Date; periodEnd: Date; spentMicros: bigint };

/**
 * A budget's spend in its last `count` periods up to the one containing `at`, oldest first, every period present
 * (zero when nothing was spent). A period's row in the ledger is what enforcement counted, so it wins; a period
 * without one (before the budget existed, or with no usage) is summed from the hourly rollups.
 */
export async function readPeriodHistory(
  client: Tx | Db,
  b: BudgetRow,
  count: number,
  at: Date,
): Promise<PeriodSpend[]> {
  const periods: PeriodSpend[] = [];
  let start = periodStart(b.period, at, b.timeZone);
  for (let i = 0; i < count; i++) {
    periods.unshift({ periodStart: start, periodEnd: periodEnd(b.period, start, b.timeZone), spentMicros: 0n });
    start = periodStart(b.period, new Date(start.getTime() - 1), b.timeZone);
  }
  const spans = Prisma.join(
    periods.map((p) => Prisma.sql`(${p.periodStart}::timestamp(3), ${p.periodEnd}::timestamp(3))`),
  );
  const [ledger, rollups] = await Promise.all([
    client.budgetPeriodUsage.findMany({
      where: { budgetId: b.id, periodStart: { in: periods.map((p) => p.periodStart) } },
      select: { periodStart: true, spentMicros: true },
    }),
    client.$queryRaw<{ start: Date; spent: bigint }[]>`
      SELECT p.s AS "start", ${sumMicros(Prisma.sql`r."costMicros"`)} AS spent
      FROM (VALUES ${spans}) AS p(s, e)
      LEFT JOIN usage_rollups_hourly r ON r.hour >= p.s AND r.hour < p.e ${rollupScope(b)}
      GROUP BY p.s`,
  ]);
  const byStart = new Map<number, bigint>();
  for (const r of rollups) byStart.set(new Date(r.start).getTime(), BigInt(r.spent));
  for (const r of ledger) byStart.set(r.periodStart.getTime(), r.spentMicros);
  return periods.map((p) => ({ ...p, spentMicros: byStart.get(p.periodStart.getTime()) ?? 0n }));
}
