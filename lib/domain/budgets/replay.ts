import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { type Actor, canSeeTeam, isAdmin } from "../actor";
import { reservationTtlMs } from "../decisions/authorize-action";
import { conflict, forbidden, invalid, notFound } from "../errors";
import { usdToMicros } from "../money";
import { Flips, impactOf } from "../permissions/replay";
import { orgPeriodZone } from "../settings/queries";
import { requireManageBudget } from "./access";
import { budgetAdmits, budgetOver } from "./admit";
import { type Period, type PeriodZone, periodEnd, periodStart } from "./periods";
import { type BudgetChange, type BudgetOutcome, type BudgetReplay, BudgetReplayRequestSchema } from "./replay-schemas";

/** The budget arithmetic a replay needs: its period, its limit and what it does when exhausted. */
type Terms = { period: Period; limitMicros: bigint; hardAction: "block" | "degrade" | "notify" };
type Coverage = { scope: "agent" | "team" | "org"; agentId: string | null; teamId: string | null };

/** Calls are read in slices of this many hours, in time order: memory stays bounded at any window. */
const SEP = "\u001f";
const SLICE_MS = 6 * 3_600_000;

/**
 * The budget as it stands and with the draft applied, with the agents it covers; the same access as saving the change
 * (a team lead's own teams only; a budget or agent they cannot see is unknown).
 */
async function terms(actor: Actor, change: ReturnType<typeof BudgetReplayRequestSchema.parse>["change"]) {
  if (change.op === "create") {
    if (!isAdmin(actor) && !(actor.type === "user" && actor.role === "team_lead"))
      throw forbidden("Only admins and team leads create budgets");
    const b = change.budget;
    const agent =
      b.scope === "agent" ? await db().agent.findUnique({ where: { id: b.agentId! }, select: { teamId: true } }) : null;
    if (b.scope === "agent" && !(agent && canSeeTeam(actor, agent.teamId)))
      throw invalid("Unknown agent", { "change.budget.agentId": ["this agent does not exist"] });
    if (b.scope === "team" && !((await db().team.count({ where: { id: b.teamId! } })) && canSeeTeam(actor, b.teamId!)))
      throw invalid("Unknown team", { "change.budget.teamId": ["this team does not exist"] });
    requireManageBudget(actor, { scope: b.scope, teamId: b.scope === "team" ? b.teamId! : (agent?.teamId ?? null) });
    const coverage: Coverage = {
      scope: b.scope,
      agentId: b.scope === "agent" ? b.agentId! : null,
      teamId: b.scope === "team" ? b.teamId! : null,
    };
    const draft: Terms = { period: b.period, limitMicros: usdToMicros(b.limitUsd), hardAction: b.hardAction };
    return { coverage, current: null, draft };
  }
  const found = await db().budget.findUnique({
    where: { id: change.budgetId },
    include: { agent: { select: { teamId: true } } },
  });
  if (!found) throw notFound("Budget");
  requireManageBudget(actor, { scope: found.scope, teamId: found.teamId ?? found.agent?.teamId ?? null });
  if (found.archivedAt) throw conflict("budget_archived", "This budget is archived; create a new one instead");
  const current: Terms = { period: found.period, limitMicros: found.limitMicros, hardAction: found.hardAction };
  const coverage: Coverage = { scope: found.scope, agentId: found.agentId, teamId: found.teamId };
  if (change.op === "archive") return { coverage, current, draft: null };
  const u = change.budget;
  const draft: Terms = {
    period: u.period ?? current.period,
    limitMicros: u.limitUsd === undefined ? current.limitMicros : usdToMicros(u.limitUsd),
    hardAction: u.hardAction ?? current.hardAction,
  };
  return { coverage, current, draft };
}

/**
 * One side of the replay: the budget's spend as it would have run, period by period. A call it refuses does not run,
 * so the usage recorded for that call does not count against it afterwards.
 */
class Ledger {
  // Times in epoch milliseconds: a million calls need no Date each.
  private start = 0;
  private end = 0;
  private spent = 0n;
  private runOut = false;
  private refused = new Set<string>();
  readonly exhausted: { periodStart: string; at: string }[] = [];

  constructor(
    private terms: Terms | null,
    private timeZone: PeriodZone,
    private windowFrom: number,
  ) {}

  private roll(at: number) {
    if (!this.terms || at < this.end) return;
    this.start = periodStart(this.terms.period, new Date(at), this.timeZone).getTime();
    this.end = periodEnd(this.terms.period, new Date(at), this.timeZone).getTime();
    this.spent = 0n;
    this.runOut = false;
  }

  spend(at: number, cost: bigint, decisionId: string) {
    // Usage naming a decision is charged at the decision's time, as the budget ledger charges what it reserved.
    if (!this.terms) return;
    this.roll(at);
    if (decisionId && this.refused.has(decisionId)) return;
    this.spent += cost;
    if (this.spent >= this.terms.limitMicros) this.ranOut(at);
  }

  /** The period's budget ran out: its spend reached the limit, or it first refused or degraded a call. */
  private ranOut(at: number) {
    if (this.runOut) return;
    this.runOut = true;
    if (at >= this.windowFrom)
      this.exhausted.push({ periodStart: new Date(this.start).toISOString(), at: new Date(at).toISOString() });
  }

  /** What the budget makes of a call with this estimate now (reservations in flight are not replayed). */
  judge(at: number, id: string, estimate: bigint, hasFallback: boolean, unrecorded: boolean): BudgetOutcome {
    if (!this.terms) return "allow";
    this.roll(at);
    let outcome: BudgetOutcome = "allow";
    if (!budgetAdmits(this.terms, this.spent, 0n, estimate)) outcome = "deny";
    else if (this.terms.hardAction === "degrade" && budgetOver(this.terms.limitMicros, this.spent, 0n, estimate))
      outcome = hasFallback ? "degrade" : "deny";
    if (outcome === "deny") this.refused.add(id);
    if (outcome !== "allow") this.ranOut(at);
    // Let through, a call that did not run in fact would have spent (its estimate stands in for its unknown cost).
    if (outcome !== "deny" && unrecorded) this.spend(at, estimate, "");
    return outcome;
  }
}

/**
 * What a draft change to a budget would have done to the recorded calls of the agents it covers: each call recorded
 * in the window that reached the budgets (allowed or degraded, or refused by a budget) is judged by the budget as it
 * stands and by the draft, each against its own replayed spend (the recorded usage of the covered agents from the
 * start of its period, less the usage of the calls it would have refused). The calls judged differently are counted
 * by transition (allow → deny, allow → degrade, deny → allow…) and grouped by action and resource, with the usage
 * recorded behind them, and the periods in which each would have run out. Only this budget is replayed: the other
 * budgets, the rules and rate limits decided as recorded.
 */
export async function replayBudgetChange(
  actor: Actor,
  raw: unknown,
  { deadline }: { deadline?: number } = {},
): Promise<BudgetReplay> {
  const input = BudgetReplayRequestSchema.parse(raw);
  const { coverage, current, draft } = await terms(actor, input.change);
  const budgetId = input.change.op === "create" ? null : input.change.budgetId;
  const timeZone = await orgPeriodZone();
  // The covered agents' rows (`column` names the agent id).
  const covered = (column: string) =>
    coverage.scope === "agent"
      ? Prisma.sql`${Prisma.raw(column)} = ${coverage.agentId}`
      : coverage.scope === "team"
        ? Prisma.sql`${Prisma.raw(column)} IN (SELECT id FROM agents WHERE "teamId" = ${coverage.teamId})`
        : Prisma.sql`TRUE`;
  // A degrading budget refuses agents whose live version has no fallback model.
  const withFallback = new Set(
    (
      await db().$queryRaw<{ id: string }[]>`
        SELECT a.id FROM agents a JOIN agent_versions v ON v.id = a."deployedVersionId"
        WHERE v."fallbackModel" IS NOT NULL AND ${covered("a.id")}`
    ).map((r) => r.id),
  );
  // The calls that reached the budgets: allowed or degraded, or refused by this budget (one refused by another budget
  // never ran whatever this one says).
  const reached = budgetId
    ? Prisma.sql`(decision IN ('allow', 'degrade') OR (code = 'budget_exhausted' AND "budgetId" = ${budgetId}))`
    : Prisma.sql`decision IN ('allow', 'degrade')`;

  const windowFrom = input.from.getTime();
  const sides = {
    current: new Ledger(current, timeZone, windowFrom),
    draft: new Ledger(draft, timeZone, windowFrom),
  };
  // Spend counts from the start of the period the window begins in (the earlier of the two, if the period changes).
  const starts = [current, draft].filter((t) => t !== null).map((t) => periodStart(t.period, input.from, timeZone));
  const readFrom = new Date(Math.min(input.from.getTime(), ...starts.map((d) => d.getTime())));
  const flips = new Flips<BudgetOutcome>();
  const flipped = new Map<string, Parameters<Flips<BudgetOutcome>["add"]>[0]>();
  let decisions = 0;
  for (let t = readFrom.getTime(); t < input.to.getTime(); t += SLICE_MS) {
    if (deadline && Date.now() > deadline) throw new Error("budget replay out of time");
    const a = new Date(t);
    const b = new Date(Math.min(t + SLICE_MS, input.to.getTime()));
    // One text column a row: decoding it costs a fraction of decoding eight typed ones, at a million rows.
    const packed = await db().$queryRaw<{ r: string }[]>`
      SELECT r FROM (
        SELECT concat_ws(${SEP}, 'd', (extract(epoch FROM "createdAt") * 1000)::bigint, id,
                         COALESCE("estimatedMicros", 0), CASE WHEN code = 'budget_exhausted' THEN 'refused' ELSE '' END,
                         "agentId", translate(action, ${SEP}, ' '), translate(resource, ${SEP}, ' ')) AS r,
               "createdAt" AS at, 'd' AS kind, id
        FROM decisions
        WHERE ${covered('"agentId"')} AND ${reached} AND "createdAt" >= ${a}::timestamp(3) AND "createdAt" < ${b}::timestamp(3)
        UNION ALL
        SELECT concat_ws(${SEP}, 'u', (extract(epoch FROM COALESCE(d."createdAt", u."timestamp")) * 1000)::bigint, u.id,
                         u."costMicros", COALESCE(d.id, ''), u."agentId", '', ''),
               COALESCE(d."createdAt", u."timestamp"), 'u', u.id
        FROM usage_events u LEFT JOIN decisions d ON d.id = u."decisionId" AND d."agentId" = u."agentId"
        WHERE ${covered('u."agentId"')} AND u."timestamp" >= ${a}::timestamp(3) AND u."timestamp" < ${b}::timestamp(3)
          AND u."costMicros" > 0
        UNION ALL
        -- Usage with no price naming its decision: charged what the decision still held when it arrived, as the ledger
        -- charges it. The hold is live only in the first batch of the decision's agent naming it (one "receivedAt": the
        -- batch's arrival) and only before the reservation expired (a call that reserved nothing, no budget covering
        -- it then, is taken to have held its estimate as long as a reservation would have); in that batch, events in
        -- the order inserted (their ids) first settle priced usage, and the first with no price takes what is left.
        -- Priced usage is charged in full above. Usage is read by its timestamp, a slice at a time: a batch of the call
        -- dated in another slice than its first is judged as if it were the first (calls' usage is dated at the call).
        SELECT concat_ws(${SEP}, 'u', (extract(epoch FROM d."createdAt") * 1000)::bigint, x.id, d."estimatedMicros" - x.before,
                         d.id, x."agentId", '', ''),
               d."createdAt", 'u', x.id
        FROM (
          SELECT u.id, u."agentId", u."decisionId", u."costMicros", u."receivedAt",
                 min(u."receivedAt") OVER (PARTITION BY u."agentId", u."decisionId") AS first,
                 count(*) FILTER (WHERE u."costMicros" IS NULL) OVER earlier AS "unpricedBefore",
                 COALESCE(sum(u."costMicros") OVER earlier, 0) AS before
          FROM usage_events u
          WHERE ${covered('u."agentId"')} AND u."timestamp" >= ${a}::timestamp(3) AND u."timestamp" < ${b}::timestamp(3)
            AND u."decisionId" IS NOT NULL
          WINDOW earlier AS (PARTITION BY u."agentId", u."decisionId", u."receivedAt" ORDER BY u.id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        ) x JOIN decisions d ON d.id = x."decisionId" AND d."agentId" = x."agentId"
        WHERE x."costMicros" IS NULL AND x."receivedAt" = x.first AND x."unpricedBefore" = 0
          AND COALESCE(d."reservationExpiresAt", d."createdAt" + ${reservationTtlMs()} * interval '1 millisecond') > x."receivedAt"
          AND d."estimatedMicros" > x.before
      ) s ORDER BY at, kind, id`;
    for (const { r } of packed) {
      const [kind, ms, id, amount, link, agentId, action, resource] = r.split(SEP);
      const at = Number(ms);
      const cost = BigInt(amount);
      if (kind === "u") {
        sides.current.spend(at, cost, link);
        sides.draft.spend(at, cost, link);
        const f = link ? flipped.get(link) : undefined;
        if (f) flips.add({ ...f, calls: 0, usage: cost });
        continue;
      }
      // Calls before the window are judged too (so each side opens the window with its own spend and refusals), not
      // counted. A call this budget refused has no usage: a side that lets it through is charged its estimate.
      const fallback = withFallback.has(agentId);
      const unrecorded = link === "refused";
      const from = sides.current.judge(at, id, cost, fallback, unrecorded);
      const to = sides.draft.judge(at, id, cost, fallback, unrecorded);
      if (at < windowFrom) continue;
      decisions++;
      if (from === to) continue;
      const when = new Date(at);
      const f = {
        action,
        resource,
        from,
        to,
        calls: 1,
        usage: 0n,
        firstId: id,
        lastId: id,
        firstAt: when,
        lastAt: when,
      };
      flips.add(f);
      flipped.set(id, f);
    }
  }
  return {
    ...flips.result(input, decisions),
    exhausted: { current: sides.current.exhausted, draft: sides.draft.exhausted },
  };
}

/**
 * What a budget change did to the last 7 days of recorded calls, as kept with the change in its audit event
 * (`after.impact`): the counts, the transitions, the five largest groups and how often each side would have run out.
 * Best effort: a change (an urgent cut) is never failed by its replay, nor held up more than IMPACT_MS.
 */
const IMPACT_MS = 5_000;
export async function budgetReplayImpact(actor: Actor, change: BudgetChange) {
  // A save (an urgent cut) waits at most a few seconds for its replay.
  const r = await replayBudgetChange(actor, { change }, { deadline: Date.now() + IMPACT_MS }).catch(() => null);
  if (!r) return undefined;
  return {
    ...impactOf(r),
    exhausted: { current: r.exhausted.current.length, draft: r.exhausted.draft.length },
  };
}
