import "server-only";
import { v7 as uuidv7 } from "uuid";
import { Prisma } from "@/lib/db/generated/client";
import { arrayParams, inLeanTransaction, type SqlTx } from "@/lib/db/tx";
import type { RequestMeta } from "../actor";
import { raiseBudgetAlerts, type SpendStep } from "../alerts/raise-budget-alerts";
import {
  chargeSpend,
  coveringBudgets,
  ensurePeriodRows,
  periodKey,
  type Reservation,
  settleDecisions,
} from "../budgets/ledger";
import { periodStart } from "../budgets/periods";
import { invalid, notFound } from "../errors";
import { usdToMicros } from "../money";
import { computeCostMicros, type PriceRow, priceInForce } from "../pricing/compute-cost";
import { orgZones } from "../settings/queries";
import { addToRollups, lockRollupZone, type RollupDelta } from "./rollups";
import { UsageBatchSchema } from "./schemas";
import { lateArrivalDays, timestampOutsideWindow } from "./timestamp-window";

type InsertedEvent = {
  eventId: string;
  decisionId: string | null;
  /** Milliseconds since the epoch. */
  timestamp: number;
  model: string;
  tool: string | null;
  status: string;
  unpriced: boolean;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: bigint | null;
};

/** `alerts`: budget thresholds this batch crossed (their webhooks wait in the outbox). */
export type IngestResult = { accepted: number; duplicates: number; unpriced: number; costUsd: number; alerts: number };

export type IngestOptions = {
  /** The clock the timestamp window is read against (the OTLP receiver passes the one it filtered spans with). */
  now?: Date;
  /**
   * Trusted back-fill of history: skips the timestamp window. For the demo seed and test fixtures only; no route
   * passes it, so nothing reachable over HTTP can write usage outside the window.
   */
  trustedBackfill?: boolean;
};

/**
 * When the batch's transaction began, in UTC whatever the session's time zone: one time for the whole batch and
 * another for the next (an OTLP export's chunks of 1,000 included, which share their request's clock), so the budget
 * replay can tell the first batch naming a decision from the later ones (lib/domain/budgets/replay.ts).
 */
const RECEIVED_AT = Prisma.sql`(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::timestamp(3)`;

/** Refuses the batch (422) when a timestamp is outside the accepted window, naming each event's field. */
function assertTimestampsInWindow(timestamps: number[], now: Date) {
  const details: Record<string, string[]> = {};
  const days = lateArrivalDays(); // read once: an environment variable costs a call into Node's C++ each time
  timestamps.forEach((at, i) => {
    const why = timestampOutsideWindow(at, now, days);
    if (why) details[`events.${i}.timestamp`] = [why];
  });
  if (Object.keys(details).length) throw invalid("A usage timestamp is outside the accepted window", details);
}

/**
 * Records a batch of usage events for one agent: all or nothing. Each event is priced at the price in force
 * at its timestamp; an event id already recorded for the agent counts as a duplicate (ON CONFLICT DO NOTHING,
 * so two copies of a batch racing each other still count once). Hourly rollups are updated in the same
 * transaction, from the events actually inserted, and so is the spend of every budget covering the agent.
 * Events that reference a decision settle its reservation. Budget thresholds crossed by the batch raise alerts
 * (and queue their webhooks) in the same transaction.
 *
 * Budget spend is never charged by the timestamp the agent reports (an agent could date usage into a past
 * period and leave today's budget untouched): an event that settles one of the agent's live reservations is
 * charged, up to the decision's estimate, to the period(s) that decision reserved in (and, for budgets it reserved
 * nothing against, the period containing the decision's time); everything else is charged to the period it is
 * reported in. Timestamps must
 * still lie in the accepted window (timestamp-window.ts); hourly rollups and spend charts stay on them.
 */
export async function ingestUsage(
  agentId: string,
  raw: unknown,
  meta: RequestMeta = {},
  options: IngestOptions = {},
): Promise<IngestResult> {
  const { events } = UsageBatchSchema.parse(raw);
  // Each timestamp (checked by the schema) read once, here: as a transform in the schema it cost about as much as the
  // rest of the event's checks (0.8 of 1.7 ms for 500 events). As a number: on Next's server, `new Date(text)` goes
  // through its wrapper of the Date constructor (0.3 ms a batch), Date.parse does not.
  const timestamps = events.map((e) => Date.parse(e.timestamp));
  // The batch's clock: the timestamps' window, and the time reservations are live at.
  const arrived = options.now ?? new Date();
  if (!options.trustedBackfill) assertTimestampsInWindow(timestamps, arrived);
  // Raw SQL on the hot path's own connection; a batch that crosses a budget threshold runs again in a Prisma
  // transaction to raise its alerts (lib/db/tx.ts).
  return inLeanTransaction(async (tx) => {
    const models = [...new Set(events.map((e) => e.model))];
    // Each burst of statements below is one round trip on the lean connection, which pipelines them in the order
    // written (the ORM's transaction runs them one by one). First the rollup-zone lock (shared, for the whole batch),
    // so the time zone read after it cannot change before this batch commits (both are sent by async helpers, which
    // send when called, so the lock goes first on either path); the agent FOR KEY SHARE, so it cannot be deleted
    // before then (usage_events has no foreign key to agents, whose check took this lock once per event; deleting an
    // agent deletes its usage by trigger); the prices of the batch's models.
    const [, [agent], prices, { timeZone, periodZone }] = await Promise.all([
      lockRollupZone(tx, "shared"),
      tx.$queryRaw<{ id: string; slug: string; teamId: string; lastActivityAt: Date | null }[]>`
        SELECT id, slug, "teamId", "lastActivityAt" FROM agents WHERE id = ${agentId} FOR KEY SHARE`,
      tx.$queryRaw<PriceRow[]>`
        SELECT id, provider, model, "inputMicrosPerMTok", "cachedInputMicrosPerMTok", "outputMicrosPerMTok", "effectiveFrom"
        FROM model_prices WHERE model = ANY(${models}::text[])`,
      orgZones(tx),
    ]);
    if (!agent) throw notFound("Agent");

    const rows = events.map((e, i) => {
      const timestamp = timestamps[i];
      const price = priceInForce(prices, e.model, timestamp, e.provider);
      const computed = price ? computeCostMicros(price, e) : null;
      const reported = e.costUsd == null ? null : usdToMicros(e.costUsd);
      const floorPrice = price ?? (e.provider ? priceInForce(prices, e.model, timestamp) : null);
      const cost = chargedCost({
        computed,
        reported,
        floor: floorPrice === price ? computed : floorPrice && computeCostMicros(floorPrice, e),
        tokens: e.inputTokens + e.outputTokens,
      });
      return {
        eventId: e.id,
        timestamp,
        model: e.model,
        provider: e.provider ?? price?.provider ?? null,
        inputTokens: e.inputTokens,
        cachedInputTokens: e.cachedInputTokens ?? 0,
        outputTokens: e.outputTokens,
        costMicros: cost,
        computedCostMicros: computed,
        reportedCostMicros: reported,
        // The price the event was charged by, or held to (the model's under another provider, as the floor).
        priceId: (price ?? floorPrice)?.id ?? null,
        unpriced: cost === null,
        tool: e.tool || null,
        latencyMs: e.latencyMs ?? null,
        status: e.status,
        decisionId: e.decisionId ?? null,
        versionNumber: e.version ?? null,
        taskId: e.taskId ?? null,
      };
    });
    // One set-based INSERT … ON CONFLICT DO NOTHING RETURNING, each column one array parameter, in PostgreSQL's binary
    // format on the hot path's connection (lib/db/binary-array.ts). A 500-event batch through Prisma's
    // createManyAndReturn spent ~200 ms building and decoding parameters; PostgreSQL inserts from arrays of the values
    // faster than from a JSON document of rows (about 45,000 against 37,000 rows/s alone).
    const a = arrayParams(tx);
    const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    // The budgets covering the agent are read in the INSERT's round trip (wasted only when every event is a duplicate).
    const [returned, budgets] = await Promise.all([
      tx.$queryRaw<{ eventId: string }[]>`
      INSERT INTO usage_events ("id", "agentId", "receivedAt", "eventId", "timestamp", "model", "provider", "inputTokens", "cachedInputTokens", "outputTokens",
        "costMicros", "computedCostMicros", "reportedCostMicros", "priceId", "unpriced", "tool", "latencyMs", "status", "decisionId", "versionNumber", "taskId")
      SELECT r."id", ${agentId}, ${RECEIVED_AT}, r."eventId", r."timestamp", r."model", r."provider", r."inputTokens", r."cachedInputTokens", r."outputTokens",
        r."costMicros", r."computedCostMicros", r."reportedCostMicros", r."priceId", r."unpriced", r."tool", r."latencyMs", r."status"::"UsageStatus", r."decisionId", r."versionNumber", r."taskId"
      FROM unnest(${a.text(col(() => uuidv7()))}::text[], ${a.text(col((r) => r.eventId))}::text[], ${a.timestamp(col((r) => r.timestamp))}::timestamp(3)[],
        ${a.text(col((r) => r.model))}::text[], ${a.text(col((r) => r.provider))}::text[], ${a.int4(col((r) => r.inputTokens))}::int[], ${a.int4(col((r) => r.cachedInputTokens))}::int[],
        ${a.int4(col((r) => r.outputTokens))}::int[], ${a.int8(col((r) => r.costMicros))}::bigint[], ${a.int8(col((r) => r.computedCostMicros))}::bigint[],
        ${a.int8(col((r) => r.reportedCostMicros))}::bigint[], ${a.text(col((r) => r.priceId))}::text[], ${a.bool(col((r) => r.unpriced))}::boolean[],
        ${a.text(col((r) => r.tool))}::text[], ${a.int4(col((r) => r.latencyMs))}::int[], ${a.text(col((r) => r.status))}::text[], ${a.text(col((r) => r.decisionId))}::text[],
        ${a.int4(col((r) => r.versionNumber))}::int[], ${a.text(col((r) => r.taskId))}::text[])
        AS r("id", "eventId", "timestamp", "model", "provider", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros",
          "computedCostMicros", "reportedCostMicros", "priceId", "unpriced", "tool", "latencyMs", "status", "decisionId", "versionNumber", "taskId")
      ON CONFLICT ("agentId", "eventId") DO NOTHING
      RETURNING "eventId"`,
      coveringBudgets(tx, agent, periodZone),
    ]);
    // Only the ids come back (decoding every column of every row cost more than the INSERT): the rest is what was
    // sent. A batch may repeat an id; the first copy is the one inserted (the rest conflict with it).
    const sent = new Map<string, InsertedEvent>();
    for (const r of rows) if (!sent.has(r.eventId)) sent.set(r.eventId, r);
    const inserted = returned.map((r) => sent.get(r.eventId)!);

    const acc = new Map<string, RollupDelta>();
    let cost = 0n;
    let unpriced = 0;
    let latest = 0;
    let alerts = 0;
    // Usage dated ahead of its arrival (up to 5 minutes) counts in the rollups when it arrived, as budgets charge it:
    // in the hour of its timestamp it could open the next period, whose budget rows would count it a second time.
    for (const e of inserted) {
      const hour = Math.floor(Math.min(e.timestamp, arrived.getTime()) / 3_600_000) * 3_600_000;
      const tool = e.tool ?? "";
      const key = `${hour}|${e.model}|${tool}`;
      let a = acc.get(key);
      if (!a) {
        a = {
          hour: new Date(hour),
          model: e.model,
          tool,
          calls: 0,
          errors: 0,
          unpriced: 0,
          input: 0,
          cached: 0,
          output: 0,
          cost: 0n,
        };
        acc.set(key, a);
      }
      a.calls++;
      if (e.status === "error") a.errors++;
      if (e.unpriced) {
        a.unpriced++;
        unpriced++;
      }
      a.input += e.inputTokens;
      a.cached += e.cachedInputTokens;
      a.output += e.outputTokens;
      a.cost += e.costMicros ?? 0n;
      cost += e.costMicros ?? 0n;
      latest = Math.max(latest, e.timestamp);
    }
    if (acc.size > 0) {
      // Budget spend per (budget, period) touched by this batch. Rows are made before the rollups change, so a
      // row created now starts from the spend before this batch, and the batch's delta is added once.
      const decisions = await decisionPeriods(tx, agentId, inserted, arrived);
      const deltas = new Map<string, { budgetId: string; start: Date; micros: bigint }>();
      const charge = (budgetId: string, start: Date, micros: bigint) => {
        if (micros <= 0n) return;
        const key = periodKey(budgetId, start);
        const d = deltas.get(key);
        if (d) d.micros += micros;
        else deltas.set(key, { budgetId, start, micros });
      };
      // Spend not settling a reservation lands in the period it is reported in: the same for every event, so it is
      // summed first and charged once per budget.
      let unsettled = 0n;
      for (const e of inserted) {
        const decision = e.decisionId ? decisions.get(e.decisionId) : undefined;
        // An event with no price cannot say what its call cost: it takes what its decision held (charged as estimated,
        // never a silent $0 that would give the hold back).
        const cost = e.costMicros ?? decision?.left ?? 0n;
        if (!cost) continue;
        // What the decision reserved is charged where it was reserved; anything beyond its estimate is new spend,
        // charged now (so naming a decision made just before midnight cannot carry today's spend into yesterday).
        const settled = !decision ? 0n : cost < decision.left ? cost : decision.left;
        if (decision) {
          decision.left -= settled;
          for (const b of budgets)
            charge(
              b.id,
              decision.reservations.get(b.id) ?? periodStart(b.period, decision.createdAt, b.timeZone),
              settled,
            );
        }
        if (!options.trustedBackfill) unsettled += cost - settled;
        else
          for (const b of budgets)
            charge(b.id, periodStart(b.period, new Date(e.timestamp), b.timeZone), cost - settled);
      }
      const current = budgets.map((b) => ({ b, start: periodStart(b.period, arrived, b.timeZone) }));
      for (const { b, start } of current) charge(b.id, start, unsettled);
      const byId = new Map(budgets.map((b) => [b.id, b]));
      // Rows are locked in one global order (budget, period; agent, hour, model, tool), so concurrent batches
      // for the same agent queue instead of deadlocking on each other's rollup and budget rows.
      const sortedDeltas = [...deltas.values()].sort(
        (x, y) => x.budgetId.localeCompare(y.budgetId) || x.start.getTime() - y.start.getTime(),
      );
      // Every covering budget's current period row exists before the rollups change, even one this batch charges
      // nothing (a row made from the rollups later would count again what settled a decision in an earlier period).
      const periodRows = new Map(current.map((r) => [periodKey(r.b.id, r.start), r]));
      for (const d of sortedDeltas)
        if (!periodRows.has(periodKey(d.budgetId, d.start)))
          periodRows.set(periodKey(d.budgetId, d.start), { b: byId.get(d.budgetId)!, start: d.start });
      const sortedAcc = [...acc.values()].sort(
        (x, y) => x.hour.getTime() - y.hour.getTime() || x.model.localeCompare(y.model) || x.tool.localeCompare(y.tool),
      );
      // The decisions named by the events inserted: a copy of an event id dropped as a duplicate settles nothing.
      const decisionIds = [...new Set(inserted.flatMap((e) => (e.decisionId ? [e.decisionId] : [])))].sort();
      // The writes, in one round trip where no decision is settled: the rows other batches lock (rollups, budget
      // periods, the agent) are held from here to the COMMIT, so for as few round trips as possible. The agent's row
      // is locked last, after settling releases its reservations (budget period rows): a batch holding it while
      // waiting for a period row another batch of the agent holds would deadlock with it. The time only moves
      // forward: a batch no newer than the one already recorded writes nothing to the agent.
      const touch = () =>
        !agent.lastActivityAt || agent.lastActivityAt.getTime() < latest
          ? tx.$executeRaw`
            UPDATE agents SET "lastActivityAt" = ${new Date(latest)}::timestamp(3)
            WHERE id = ${agentId} AND ("lastActivityAt" IS NULL OR "lastActivityAt" < ${new Date(latest)}::timestamp(3))`
          : undefined;
      const [, , spent] = await Promise.all([
        ensurePeriodRows(tx, [...periodRows.values()]),
        addToRollups(tx, agent, timeZone, sortedAcc),
        chargeSpend(tx, sortedDeltas),
        decisionIds.length ? settleDecisions(tx, agentId, decisionIds).then(touch) : touch(),
      ]);
      const steps: SpendStep[] = sortedDeltas.flatMap((d) => {
        const after = spent.get(periodKey(d.budgetId, d.start));
        return after === undefined
          ? []
          : [{ budget: byId.get(d.budgetId)!, periodStart: d.start, before: after - d.micros, after }];
      });
      alerts = await raiseBudgetAlerts(
        tx,
        { type: "agent", id: agent.id, label: agent.slug, teamId: agent.teamId },
        meta,
        steps,
      );
    }
    return {
      accepted: inserted.length,
      duplicates: events.length - inserted.length,
      unpriced,
      costUsd: Number(cost) / 1e6,
      alerts,
    };
  });
}

type DecisionPeriods = { createdAt: Date; reservations: Map<string, Date>; left: bigint };

/**
 * The agent's decisions referenced by the inserted events whose reservations are still live (unsettled and not
 * expired): when each was made, the periods it reserved in and its estimate. Locked, so two batches naming one
 * decision cannot both charge its period; the first settles it. A settled, expired or estimate-free decision
 * earns no back-dating: naming it would let usage land in an old period.
 */
async function decisionPeriods(
  tx: SqlTx,
  agentId: string,
  inserted: InsertedEvent[],
  now: Date,
): Promise<Map<string, DecisionPeriods>> {
  const ids = [...new Set(inserted.map((e) => e.decisionId).filter((id): id is string => !!id))].sort();
  const out = new Map<string, DecisionPeriods>();
  if (ids.length === 0) return out;
  const rows = await tx.$queryRaw<
    { id: string; createdAt: Date; reservations: unknown; estimatedMicros: bigint | null }[]
  >`
    SELECT id, "createdAt", reservations, "estimatedMicros" FROM decisions
    WHERE id = ANY(${ids}::text[]) AND "agentId" = ${agentId} AND "settledAt" IS NULL AND "reservationExpiresAt" > ${now}::timestamp(3)
    ORDER BY id FOR UPDATE`;
  for (const d of rows) {
    const reservations = new Map<string, Date>();
    for (const r of Array.isArray(d.reservations) ? (d.reservations as Reservation[]) : [])
      reservations.set(r.budgetId, new Date(r.periodStart));
    out.set(d.id, { createdAt: d.createdAt, reservations, left: d.estimatedMicros ?? 0n });
  }
  return out;
}

/**
 * What an event is charged. What the provider reported, but never less than the price list says for the tokens
 * reported (`floor`: the model's price for the provider named, else under any provider): an agent (a bug, or a
 * compromised one) cannot report its way under its budgets. With no price at all the reported cost is all there is,
 * except $0 for tokens: that is unpriced usage (null), never a silent $0 (DESIGN §3.5). Nothing reported: the computed
 * cost, else the floor (a provider named that the model has no price for is not unpriced usage: a budget would charge
 * that $0 without a live decision); null when there is no price at all.
 */
function chargedCost(e: { computed: bigint | null; reported: bigint | null; floor: bigint | null; tokens: number }) {
  if (e.reported === null) return e.computed ?? e.floor;
  if (e.floor !== null) return e.reported > e.floor ? e.reported : e.floor;
  return e.reported === 0n && e.tokens > 0 ? null : e.reported;
}
