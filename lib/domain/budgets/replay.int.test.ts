import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { authorizeAction } from "../decisions/authorize-action";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { orgTimeZone } from "../settings/queries";
import { ingestUsage } from "../usage/ingest-usage";
import { archiveBudget } from "./archive-budget";
import { createBudget } from "./create-budget";
import { type Period, periodStart } from "./periods";
import { replayBudgetChange } from "./replay";
import { updateBudget } from "./update-budget";

// A week of recorded calls and their usage, a draft budget, and the replay's counts and dollars against an independent
// computation: each call judged in time order against the sum of the usage recorded before it in its period, less the
// usage of the calls already refused.

const DAY = 86_400_000;
type Call = { id: string; at: Date; estimate: bigint; action: string; resource: string; refused: boolean };
/** `at` as reported; `chargeAt` where the ledger charges it: at its decision's time when it names one. */
type Use = { at: Date; chargeAt: Date; cost: bigint; decisionId: string | null; unpriced?: boolean };

function expected(
  calls: Call[],
  usage: Use[],
  terms: { period: Period; limitMicros: bigint; block: boolean },
  { tz, from }: { tz: string; from: Date },
) {
  const refused = new Set<string>();
  // Calls the budget refused in fact have no usage: let through, each spends its estimate.
  const unrecorded: { at: Date; cost: bigint }[] = [];
  const outcomes = new Map<string, "allow" | "deny">();
  const judged = calls.filter((c) => c.at >= from);
  for (const c of judged.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1))) {
    const start = periodStart(terms.period, c.at, tz).getTime();
    const spent = [
      ...usage
        .filter((u) => !(u.decisionId && refused.has(u.decisionId)))
        .map((u) => ({ at: u.chargeAt, cost: u.cost })),
      ...unrecorded,
    ]
      .filter((u) => u.at.getTime() >= start && u.at < c.at)
      .reduce((n, u) => n + u.cost, 0n);
    const fits = spent + c.estimate <= terms.limitMicros && spent < terms.limitMicros;
    const o = !terms.block || fits ? "allow" : "deny";
    if (o === "deny") refused.add(c.id);
    else if (c.refused) unrecorded.push({ at: c.at, cost: c.estimate });
    outcomes.set(c.id, o);
  }
  return outcomes;
}

describe("replaying a draft budget against recorded calls", () => {
  it("counts the calls a tighter, looser or archived budget would decide differently, with the usage behind them", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `breplay-${org.tag}`));
    const tz = await orgTimeZone();
    const now = new Date();
    const from = new Date(now.getTime() - 7 * DAY);
    let seed = 11;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const names: [string, string][] = [
      ["model:use", "gpt-5"],
      ["tool:invoke", "github.create_issue"],
      ["tool:invoke", "slack.post"],
    ];
    const calls: Call[] = Array.from({ length: 700 }, (_, i) => ({
      id: randomUUID(),
      // Inside the window, with a minute to spare: the saved change below replays a window a moment later.
      at: new Date(now.getTime() - 1000 - Math.floor(rand() * (7 * DAY - 120_000))),
      estimate: BigInt(Math.floor(rand() * 50_000)),
      action: names[i % 3][0],
      resource: names[i % 3][1],
      // One call in twenty was refused by the budget as it stands: it never ran.
      refused: i % 20 === 0,
    }));
    // Usage: most calls report some, a little arrives unlinked; some of it before the window, in its first period.
    const usage: Use[] = [
      ...calls
        .filter((c) => rand() < 0.7 && !c.refused)
        .map((c, i) => ({
          // Reported a little after the call, or (a skewed clock) a little before it: charged at the call either way.
          at: new Date(c.at.getTime() - 200 + Math.floor(rand() * 700)),
          chargeAt: c.at,
          // One in eight with no price for its model: charged what its decision held, as the ledger charges it.
          ...(i % 8 === 3 ? { cost: c.estimate, unpriced: true } : { cost: BigInt(Math.floor(rand() * 60_000) + 1) }),
          decisionId: c.id,
        })),
      ...Array.from({ length: 40 }, () => {
        const at = new Date(now.getTime() - 1000 - Math.floor(rand() * 8 * DAY));
        return { at, chargeAt: at, cost: BigInt(Math.floor(rand() * 30_000) + 1), decisionId: null };
      }),
    ];
    const budget = await createBudget(
      org.admin,
      {},
      {
        name: "agent daily",
        scope: "agent",
        agentId: agent.id,
        period: "day",
        limitUsd: 1,
      },
    );
    const other = randomUUID();
    await db().decision.createMany({
      data: [
        ...calls.map((c) => ({
          id: c.id,
          agentId: agent.id,
          action: c.action,
          resource: c.resource,
          ...(c.refused
            ? { decision: "deny" as const, code: "budget_exhausted", budgetId: budget.id }
            : { decision: "allow" as const, code: "allowed" }),
          reason: "recorded",
          estimatedMicros: c.estimate,
          createdAt: c.at,
          // No reservation expiry: recorded with no budget covering the agent, each call held its estimate for as long
          // as a reservation would have (five minutes), had one been in force.
        })),
        // Not replayed: refused by a rule, or by another budget, before any budget of this one's mattered.
        ...[
          { decision: "deny" as const, code: "no_matching_rule", budgetId: null },
          { decision: "deny" as const, code: "budget_exhausted", budgetId: other },
        ].map((d) => ({
          ...d,
          id: randomUUID(),
          agentId: agent.id,
          action: "model:use",
          resource: "gpt-5",
          reason: "recorded",
          estimatedMicros: 1n,
          createdAt: new Date(now.getTime() - DAY),
        })),
      ],
    });
    await db().usageEvent.createMany({
      data: usage.map((u, i) => ({
        agentId: agent.id,
        eventId: `breplay-${org.tag}-${i}`,
        timestamp: u.at,
        model: "gpt-5",
        inputTokens: 1,
        outputTokens: 1,
        costMicros: u.unpriced ? null : u.cost,
        unpriced: !!u.unpriced,
        decisionId: u.decisionId,
        // Each its own batch, a second after its call (while the call's reservation holds).
        receivedAt: new Date(u.chargeAt.getTime() + 1000),
      })),
    });
    const inWindow = calls.filter((c) => c.at >= from);
    const check = async (
      change: unknown,
      current: Map<string, string>,
      draft: Map<string, string>,
      judged = inWindow,
    ) => {
      const r = await replayBudgetChange(org.admin, { change, from, to: now });
      const flipped = judged.filter((c) => current.get(c.id) !== draft.get(c.id));
      const usageOf = (ids: Set<string>) =>
        usage.filter((u) => u.decisionId && ids.has(u.decisionId)).reduce((n, u) => n + Number(u.cost), 0);
      expect(r.decisions).toBe(judged.length);
      expect(r.changed).toBe(flipped.length);
      expect(r.changedUsageMicros).toBe(usageOf(new Set(flipped.map((c) => c.id))));
      // By transition and by action and resource, as the independent computation has them.
      const byTransition = new Map<string, number>();
      for (const c of flipped) {
        const k = `${current.get(c.id)}>${draft.get(c.id)}`;
        byTransition.set(k, (byTransition.get(k) ?? 0) + 1);
      }
      expect(Object.fromEntries(r.transitions.map((t) => [`${t.from}>${t.to}`, t.calls]))).toEqual(
        Object.fromEntries(byTransition),
      );
      for (const g of r.groups)
        expect(g.calls).toBe(
          flipped.filter((c) => c.action === g.action && c.resource === g.resource && draft.get(c.id) === g.to).length,
        );
      return r;
    };

    const loose = { period: "day" as const, limitMicros: 1_000_000n, block: true };
    const at = { tz, from };
    const sims = {
      daily1: expected(calls, usage, loose, at),
      daily05: expected(calls, usage, { ...loose, limitMicros: 500_000n }, at),
      weekly3: expected(calls, usage, { period: "week", limitMicros: 3_000_000n, block: true }, at),
      none: expected(calls, usage, { ...loose, block: false }, at),
    };
    // The week is busy enough that $1 a day binds on some days and $0.50 on more.
    const denied = (m: Map<string, string>) => inWindow.filter((c) => m.get(c.id) === "deny").length;
    expect(denied(sims.daily1)).toBeGreaterThan(0);
    expect(denied(sims.daily05)).toBeGreaterThan(denied(sims.daily1));

    // Tighter: $0.50 a day.
    const tighter = await check(
      { op: "update", budgetId: budget.id, budget: { limitUsd: 0.5 } },
      sims.daily1,
      sims.daily05,
    );
    // Mostly allows turned into denies. Not only: a call refused earlier in a day no longer spends, so a later call
    // the looser budget refused can fit (which calls, depends on where the days fall: the calls are dated from now).
    const moved = Object.fromEntries(tighter.transitions.map((t) => [`${t.from}>${t.to}`, t.calls]));
    expect(moved["allow>deny"]).toBeGreaterThan(moved["deny>allow"] ?? 0);
    // It runs out, at the latest, where it first refuses a call in a day.
    const firstRefused = new Map<string, number>();
    for (const c of inWindow)
      if (sims.daily05.get(c.id) === "deny") {
        const day = periodStart("day", c.at, tz).toISOString();
        firstRefused.set(day, Math.min(firstRefused.get(day) ?? Number.POSITIVE_INFINITY, c.at.getTime()));
      }
    expect(firstRefused.size).toBeGreaterThan(0);
    for (const [day, first] of firstRefused) {
      const out = tighter.exhausted.draft.find((e) => e.periodStart === day);
      expect(out, day).toBeDefined();
      expect(Date.parse(out!.at)).toBeLessThanOrEqual(first);
    }
    // Another period: $3 a week.
    await check(
      { op: "update", budgetId: budget.id, budget: { period: "week", limitUsd: 3 } },
      sims.daily1,
      sims.weekly3,
    );
    // Notify only, archived, or a new budget like it: nothing is refused any more, or what it refuses is new.
    await check({ op: "update", budgetId: budget.id, budget: { hardAction: "notify" } }, sims.daily1, sims.none);
    await check({ op: "archive", budgetId: budget.id }, sims.daily1, sims.none);
    // A new budget: the calls the existing one refused never ran, whatever the new one says; they are not replayed.
    const ran = calls.filter((c) => !c.refused);
    await check(
      { op: "create", budget: { name: "new", scope: "team", teamId: org.team.id, period: "day", limitUsd: 0.5 } },
      sims.none,
      expected(ran, usage, { ...loose, limitMicros: 500_000n }, at),
      inWindow.filter((c) => !c.refused),
    );
    // Degrading with no fallback model on the live version refuses, as authorize does.
    await check({ op: "update", budgetId: budget.id, budget: { hardAction: "degrade" } }, sims.daily1, sims.daily1);
    // Saved, the change keeps its replay in its audit event.
    await updateBudget(org.admin, {}, budget.id, { limitUsd: 0.5 });
    const saved = await db().auditEvent.findFirstOrThrow({
      where: { action: "budget.updated", targetId: budget.id },
      orderBy: { position: "desc" },
    });
    expect((saved.after as { impact: object }).impact).toMatchObject({
      changed: tighter.changed,
      changedUsageMicros: tighter.changedUsageMicros,
      exhausted: { current: tighter.exhausted.current.length, draft: tighter.exhausted.draft.length },
    });
    await updateBudget(org.admin, {}, budget.id, { limitUsd: 1 }, { impact: false });
    // The same terms: nothing changes.
    expect(
      (await replayBudgetChange(org.admin, { change: { op: "update", budgetId: budget.id, budget: { limitUsd: 1 } } }))
        .changed,
    ).toBe(0);
  });

  it("charges usage with no price what its call still held when it arrived, as the budget ledger does", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `breplay4-${org.tag}`));
    await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "model:use", resource: "*" });
    // A budget that never refuses, so calls reserve (and their reservations expire) as in fact.
    const loose = await createBudget(
      org.admin,
      {},
      { name: "loose", scope: "agent", agentId: agent.id, period: "month", limitUsd: 1000, hardAction: "notify" },
    );
    const model = `no-price-${org.tag}`;
    const ask = (usd: number, now?: Date) =>
      authorizeAction(agent.id, {}, { action: "model:use", resource: model, estimatedCostUsd: usd }, now);
    const use = (id: string, decisionId: string, costUsd?: number) => ({
      id,
      timestamp: new Date().toISOString(),
      model,
      inputTokens: 10,
      outputTokens: 10,
      decisionId,
      ...(costUsd === undefined ? {} : { costUsd }),
    });
    const started = new Date(Date.now() - 3_600_000);
    // A $7 call ten minutes ago whose usage (no price) arrives after its reservation expired: it held nothing then.
    const stale = await ask(7, new Date(Date.now() - 600_000));
    await ingestUsage(agent.id, { events: [use("s1", stale.decisionId!)] });
    // A $10 call: $4 of priced usage then usage with no price in one batch (it takes the $6 left), more with no price
    // in a later batch (the hold is gone).
    const call = await ask(10);
    await ingestUsage(agent.id, { events: [use("c1", call.decisionId!, 4), use("c2", call.decisionId!)] });
    await ingestUsage(agent.id, { events: [use("c3", call.decisionId!)] });
    const last = await ask(5);
    // The ledger charged $10 in all (and holds the last call's $5).
    // (This month's row: a month that began in the last ten minutes holds the first call's reservation in the last.)
    const row = await db().budgetPeriodUsage.findFirstOrThrow({
      where: { budgetId: loose.id },
      orderBy: { periodStart: "desc" },
    });
    expect(row).toMatchObject({ spentMicros: 10_000_000n, reservedMicros: 5_000_000n });
    // So does the replay: with $15.50 a month every call fits ($7, then $10, then $10 + $5); with $14.50 only the last
    // is refused. (Charging each call's whole hold again, $4 + $10 + $7, refused the $10 call at either limit.)
    const replay = (limitUsd: number) =>
      replayBudgetChange(org.admin, {
        change: {
          op: "create",
          budget: { name: "draft", scope: "agent", agentId: agent.id, period: "month", limitUsd },
        },
        from: started,
        to: new Date(),
      });
    expect(await replay(15.5)).toMatchObject({ decisions: 3, changed: 0 });
    const tight = await replay(14.5);
    expect(tight).toMatchObject({ decisions: 3, changed: 1 });
    expect(tight.transitions).toEqual([expect.objectContaining({ from: "allow", to: "deny", calls: 1 })]);
    expect(last.decision).toBe("allow");
  });

  it("one agent's usage naming another agent's decision is its own, not that call's (refusing the call does not drop it)", async () => {
    const org = await makeOrg();
    const [a, b] = [
      await registerAgent(org.admin, {}, agentInput(org.team.id, `breplay3a-${org.tag}`)),
      await registerAgent(org.admin, {}, agentInput(org.team.id, `breplay3b-${org.tag}`)),
    ];
    const hour = 3_600_000;
    const now = new Date();
    const at = (h: number) => new Date(now.getTime() - h * hour);
    // B's $5 call, then A's $4 of usage naming B's decision, then B's $2 call; a draft $4 team budget refuses B's
    // first call, and A's $4 (its own spend) then refuses B's second.
    const [first, second] = [randomUUID(), randomUUID()];
    await db().decision.createMany({
      data: [
        { id: first, at: at(3), estimate: 5_000_000n },
        { id: second, at: at(1), estimate: 2_000_000n },
      ].map((d) => ({
        id: d.id,
        agentId: b.id,
        action: "model:use",
        resource: "gpt-5",
        decision: "allow" as const,
        code: "allowed",
        reason: "recorded",
        estimatedMicros: d.estimate,
        createdAt: d.at,
      })),
    });
    await db().usageEvent.create({
      data: {
        agentId: a.id,
        eventId: `breplay3-${org.tag}`,
        timestamp: at(2),
        model: "gpt-5",
        inputTokens: 1,
        outputTokens: 1,
        costMicros: 4_000_000n,
        decisionId: first,
      },
    });
    const r = await replayBudgetChange(org.admin, {
      change: {
        op: "create",
        budget: { name: "team", scope: "team", teamId: org.team.id, period: "month", limitUsd: 4 },
      },
      from: at(4),
      to: now,
    });
    expect(r).toMatchObject({ decisions: 2, changed: 2 });
  });

  it("asks what saving the change would: managers of the budget only, an archived budget refused", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `breplay2-${org.tag}`));
    const budget = await createBudget(
      org.admin,
      {},
      {
        name: "org",
        scope: "org",
        period: "month",
        limitUsd: 10,
      },
    );
    const update = { op: "update", budgetId: budget.id, budget: { limitUsd: 5 } };
    await expect(replayBudgetChange(org.viewer, { change: update })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(replayBudgetChange(org.lead, { change: update })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(
      replayBudgetChange(org.viewer, {
        change: { op: "create", budget: { name: "x", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1 } },
      }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    // A team lead of another team does not learn the agent exists.
    const outsider = { ...org.lead, teamIds: [org.other.id] };
    await expect(
      replayBudgetChange(outsider, {
        change: { op: "create", budget: { name: "x", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1 } },
      }),
    ).rejects.toMatchObject({ kind: "validation" });
    await expect(
      replayBudgetChange(org.admin, { change: { op: "archive", budgetId: randomUUID() } }),
    ).rejects.toMatchObject({ kind: "not_found" });
    await expect(replayBudgetChange(org.admin, { change: { op: "remove" } })).rejects.toThrow();
    await expect(
      replayBudgetChange(org.admin, { change: update, from: "2020-01-01T00:00:00Z", to: "2021-01-01T00:00:00Z" }),
    ).rejects.toThrow();
    await archiveBudget(org.admin, {}, budget.id, {});
    await expect(replayBudgetChange(org.admin, { change: update })).rejects.toMatchObject({ code: "budget_archived" });
  });
});
