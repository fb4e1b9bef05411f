import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { agentFromKey } from "@/lib/auth/agent-key";
import { db } from "@/lib/db/client";
import { dbTarget } from "@/lib/db/config";
import { agentInput, makeOrg, priceModel, resetTimeZone } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { retireAgent } from "../agents/retire-agent";
import { resumeAgent, suspendAgent } from "../agents/set-agent-status";
import { updateAgent } from "../agents/update-agent";
import { drainAuditOutbox } from "../audit/deferred";
import { archiveBudget } from "../budgets/archive-budget";
import { createBudget } from "../budgets/create-budget";
import { periodStart } from "../budgets/periods";
import { createAgentKey } from "../keys/create-agent-key";
import { revokeAgentKey } from "../keys/revoke-agent-key";
import { rotateAgentKey } from "../keys/rotate-agent-key";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { deletePermissionRule } from "../permissions/delete-permission-rule";
import { getRuntimeConfig } from "../runtime/get-runtime-config";
import { updateOrgSettings } from "../settings/update-org-settings";
import { spendSeries } from "../spend/queries";
import { ingestUsage } from "../usage/ingest-usage";
import { authorizeAction, decisionSnapshot } from "./authorize-action";
import { evaluateAccess } from "./authzen";

async function agentWithRules(tag: string) {
  const org = await makeOrg();
  const agent = await registerAgent(
    org.admin,
    {},
    { ...agentInput(org.team.id, `rt-${tag}-${org.tag}`), config: { model: "gpt-5", fallbackModel: "gpt-5-mini" } },
  );
  await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
  await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "tool:invoke", resource: "github.*" });
  await addPermissionRule(org.admin, {}, agent.id, {
    effect: "deny",
    action: "tool:invoke",
    resource: "github.delete_*",
  });
  return { org, agent };
}

const periodRow = (budgetId: string) =>
  db().budgetPeriodUsage.findFirstOrThrow({ where: { budgetId }, orderBy: { periodStart: "desc" } });

describe("authorize", () => {
  it("through AuthZEN a team lead's evaluation holds nothing (decided without its estimate); an admin's reserves", async () => {
    const { org, agent } = await agentWithRules("authzen-hold");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "org-wide", scope: "org", period: "day", limitUsd: 10, hardAction: "block" },
    );
    const call = (estimatedCostUsd: number) => ({
      subject: { type: "agent", id: agent.slug },
      action: { name: "model:use" },
      resource: { type: "model", id: "gpt-5" },
      context: { estimatedCostUsd },
    });
    // The lead asks for all the organisation has left, twice: allowed, and nothing stays held for other teams.
    for (let i = 0; i < 2; i++) expect(await evaluateAccess(org.lead, {}, call(10))).toMatchObject({ decision: true });
    expect((await periodRow(budget.id)).reservedMicros).toBe(0n);
    expect(
      await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 }),
    ).toMatchObject({
      decision: "allow",
    });
    // An admin's evaluation (a gateway's token) reserves like the agent's own call.
    expect(await evaluateAccess(org.admin, {}, call(9))).toMatchObject({ decision: true });
    expect((await periodRow(budget.id)).reservedMicros).toBe(10_000_000n);
    // The budget held in full: the lead's evaluation is refused (budgets still decide it), and the estimate it sent
    // is on the record.
    expect(await evaluateAccess(org.lead, {}, call(1))).toMatchObject({
      decision: false,
      context: { code: "budget_exhausted" },
    });
    const recorded = await db().decision.findFirstOrThrow({
      where: { agentId: agent.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(recorded).toMatchObject({ estimatedMicros: null, context: { estimatedCostUsd: 1 } });
    // The organisation's budget covers every agent of this file's database.
    await archiveBudget(org.admin, {}, budget.id, { reason: "test over" });
  });

  it("50 parallel $1 requests against a $10 block budget: exactly 10 allowed", async () => {
    const { org, agent } = await agentWithRules("race");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "tight", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 }),
      ),
    );
    expect(results.filter((r) => r.decision === "allow")).toHaveLength(10);
    const denied = results.filter((r) => r.decision === "deny");
    expect(denied).toHaveLength(40);
    expect(denied[0]).toMatchObject({ code: "budget_exhausted", budgetId: budget.id });
    const row = await periodRow(budget.id);
    expect(row.reservedMicros + row.spentMicros).toBe(10_000_000n);
    // Denials that found the chain head busy were queued in the audit outbox; the appender appends them.
    await drainAuditOutbox();
    expect(await db().auditEvent.count({ where: { agentId: agent.id, action: "decision.denied" } })).toBe(40);
    expect(await db().decision.count({ where: { agentId: agent.id } })).toBe(50);
  });

  it("two agents racing on their own budgets and a shared team budget: the team bound is exact, and every refused call gives back what it reserved", async () => {
    const { org, agent } = await agentWithRules("race-shared");
    const second = await registerAgent(org.admin, {}, agentInput(org.team.id, `rt-race-2-${org.tag}`));
    await addPermissionRule(org.admin, {}, second.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
    const own = await Promise.all(
      [agent, second].map((a) =>
        createBudget(
          org.admin,
          {},
          { name: `own ${a.slug}`, scope: "agent", agentId: a.id, period: "day", limitUsd: 10, hardAction: "block" },
        ),
      ),
    );
    const team = await createBudget(
      org.admin,
      {},
      { name: "shared", scope: "team", teamId: org.team.id, period: "day", limitUsd: 7, hardAction: "block" },
    );
    const calls = [agent, second].flatMap((a) =>
      Array.from({ length: 20 }, () =>
        authorizeAction(a.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 }).then((r) => ({
          agentId: a.id,
          ...r,
        })),
      ),
    );
    const results = await Promise.all(calls);
    const allowed = results.filter((r) => r.decision === "allow");
    expect(allowed).toHaveLength(7);
    expect(results.filter((r) => r.decision === "deny").every((r) => r.code === "budget_exhausted")).toBe(true);
    expect((await periodRow(team.id)).reservedMicros).toBe(7_000_000n);
    for (const [i, a] of [agent, second].entries())
      expect((await periodRow(own[i].id)).reservedMicros).toBe(
        BigInt(allowed.filter((r) => r.agentId === a.id).length) * 1_000_000n,
      );
  });

  it("a call waiting for an admin's change to its agent holds no budget row: the team's other agents reserve meanwhile", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // the embedded database has one connection
    const { org, agent } = await agentWithRules("lockorder");
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `rt-lockorder2-${org.tag}`));
    await addPermissionRule(org.admin, {}, other.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
    const team = await createBudget(
      org.admin,
      {},
      { name: "team", scope: "team", teamId: org.team.id, period: "day", limitUsd: 100, hardAction: "block" },
    );
    const ask = { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 };
    await authorizeAction(other.id, {}, ask); // the period row exists from here on
    // An admin's change holds the agent's row (as an edit of it does) until it is let go.
    let letGo!: () => void;
    const held = new Promise<void>((r) => {
      letGo = r;
    });
    let holding!: () => void;
    const isHeld = new Promise<void>((r) => {
      holding = r;
    });
    const admin = db().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM agents WHERE id = ${agent.id} FOR UPDATE`;
        holding();
        await held;
      },
      { timeout: 30_000 },
    );
    await isHeld;
    const waiting = authorizeAction(agent.id, {}, ask);
    // The call waits for the agent's row, in its load (the statement that locks it).
    const waiters = () =>
      db().$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%a.status::text AS status%'`;
    for (let i = 0; i < 200 && (await waiters())[0].n === 0n; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await waiters())[0].n).toBe(1n);
    // The waiting call holds no lock on the team budget's row: taking it at once (NOWAIT) succeeds, and so does
    // another agent's reservation on it.
    await db().$transaction(
      (tx) => tx.$queryRaw`SELECT 1 FROM budget_period_usage WHERE "budgetId" = ${team.id} FOR UPDATE NOWAIT`,
    );
    expect(await authorizeAction(other.id, {}, ask)).toMatchObject({ decision: "allow" });
    letGo();
    await admin;
    expect(await waiting).toMatchObject({ decision: "allow" });
  });

  it("settles a reservation with usage, and releases an unused one when it expires", async () => {
    const { org, agent } = await agentWithRules("settle");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "b", scope: "agent", agentId: agent.id, period: "month", limitUsd: 5, hardAction: "block" },
    );
    const d = await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 2 });
    expect(d).toMatchObject({
      decision: "allow",
      code: "allowed",
      model: "gpt-5",
      budget: { remainingUsd: 3, period: "month" },
    });
    expect((await periodRow(budget.id)).reservedMicros).toBe(2_000_000n);
    await ingestUsage(agent.id, {
      events: [
        {
          id: "s1",
          timestamp: new Date().toISOString(),
          model: "gpt-5",
          inputTokens: 10,
          outputTokens: 10,
          costUsd: 0.4,
          decisionId: d.decisionId,
        },
      ],
    });
    let row = await periodRow(budget.id);
    expect([row.spentMicros, row.reservedMicros]).toEqual([400_000n, 0n]);

    // A copy of an event id, dropped as a duplicate, settles nothing: the second decision stays reserved.
    const [d1, d2] = [
      await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.1 }),
      await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 2 }),
    ];
    const use = { timestamp: new Date().toISOString(), model: "gpt-5", inputTokens: 1, outputTokens: 1 };
    expect(
      await ingestUsage(agent.id, {
        events: [
          { ...use, id: "dup", costUsd: 0.1, decisionId: d1.decisionId },
          { ...use, id: "dup", costUsd: 8, decisionId: d2.decisionId },
        ],
      }),
    ).toMatchObject({ accepted: 1, duplicates: 1 });
    row = await periodRow(budget.id);
    expect([row.spentMicros, row.reservedMicros]).toEqual([500_000n, 2_000_000n]);
    expect(await db().decision.findUniqueOrThrow({ where: { id: d2.decisionId } })).toMatchObject({ settledAt: null });
    // (No tokens and $0: free. Tokens at $0 with no price would be unpriced, and take what the decision held.)
    await ingestUsage(agent.id, {
      events: [{ ...use, id: "s2", inputTokens: 0, outputTokens: 0, costUsd: 0, decisionId: d2.decisionId }],
    });
    row = await periodRow(budget.id);
    expect([row.spentMicros, row.reservedMicros]).toEqual([500_000n, 0n]);

    // Usage with no price cannot say what the call cost: it takes what its decision held (never a silent $0).
    const d3 = await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.25 });
    expect(
      await ingestUsage(agent.id, {
        events: [
          { ...use, id: "unpriced", model: "no-price-for-this", inputTokens: 10 ** 8, decisionId: d3.decisionId },
        ],
      }),
    ).toMatchObject({ accepted: 1, unpriced: 1 });
    row = await periodRow(budget.id);
    expect([row.spentMicros, row.reservedMicros]).toEqual([750_000n, 0n]);

    const old = new Date(Date.now() - 6 * 60_000); // past the 300 s reservation TTL
    await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 4 }, old); // reserved, never settled
    row = await periodRow(budget.id);
    expect(row.reservedMicros).toBe(4_000_000n);
    const next = await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 4 });
    expect(next.decision).toBe("allow"); // the expired $4 was released first
    expect((await periodRow(budget.id)).reservedMicros).toBe(4_000_000n);
  });

  it("an agent reporting absurd costs cannot overflow a shared total: the totals saturate, and its neighbours' calls, usage and spend reads still answer", async () => {
    const { org, agent: rogue } = await agentWithRules("absurd");
    const neighbour = await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `rt-absurd-n-${org.tag}`), config: { model: "gpt-5" } },
    );
    await addPermissionRule(org.admin, {}, neighbour.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
    const shared = await createBudget(
      org.admin,
      {},
      { name: "team", scope: "team", teamId: org.team.id, period: "month", limitUsd: 10, hardAction: "notify" },
    );
    const max = 9_223_372_036_854_775_807n;
    const at = new Date().toISOString();
    const use = (id: string, costUsd: number) => ({
      id,
      timestamp: at,
      model: "gpt-5",
      inputTokens: 1,
      outputTokens: 1,
      costUsd,
      tool: "t",
    });
    await ingestUsage(rogue.id, { events: [use("r0", 1)] });
    // Where about 9,200 batches of 1,000 events at $1,000,000 each would have brought the shared row and the rogue's
    // rollup: just below the largest bigint.
    await db().budgetPeriodUsage.updateMany({ where: { budgetId: shared.id }, data: { spentMicros: max - 10n } });
    await db().usageRollupHourly.updateMany({ where: { agentId: rogue.id }, data: { costMicros: max - 10n } });
    await db().usageRollupDaily.updateMany({ where: { agentId: rogue.id }, data: { costMicros: max - 10n } });
    await ingestUsage(rogue.id, { events: [use("r1", 1_000_000), use("r2", 1_000_000)] });
    expect((await periodRow(shared.id)).spentMicros).toBe(max);
    expect((await db().usageRollupHourly.findFirstOrThrow({ where: { agentId: rogue.id } })).costMicros).toBe(max);

    expect(
      await authorizeAction(neighbour.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 }),
    ).toMatchObject({ decision: "allow" });
    expect(await ingestUsage(neighbour.id, { events: [use("n1", 0.01)] })).toMatchObject({ accepted: 1 });
    expect((await periodRow(shared.id)).spentMicros).toBe(max);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const series = await spendSeries(org.admin, {
      from,
      to: new Date(Date.now() + 3_600_000).toISOString(),
      bucket: "hour",
      teamId: org.team.id,
    });
    expect(series.totals.costMicros).toBe(max);
  });

  it("usage across a period's end counts once: dated a little ahead of its arrival, or settling a decision of the period before", async () => {
    const { org, agent } = await agentWithRules("boundary");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 100, hardAction: "block" },
    );
    const rowAt = async (start: Date) =>
      (
        await db().budgetPeriodUsage.findUnique({
          where: { budgetId_periodStart: { budgetId: budget.id, periodStart: start } },
        })
      )?.spentMicros;
    const use = (id: string, at: Date, costUsd: number, decisionId?: string) => ({
      events: [
        { id, timestamp: at.toISOString(), model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd, decisionId },
      ],
    });
    const minutes = (m: number) => m * 60_000;
    const today = periodStart("day", new Date(), "UTC");
    const yesterday = new Date(today.getTime() - 86_400_000);
    const dayBefore = new Date(yesterday.getTime() - 86_400_000);

    // $7 reported two minutes before midnight, dated two minutes after: charged to the day it arrived, once.
    await ingestUsage(
      agent.id,
      use("ahead", new Date(yesterday.getTime() + minutes(2)), 7),
      {},
      {
        now: new Date(yesterday.getTime() - minutes(2)),
      },
    );
    expect(await rowAt(dayBefore)).toBe(7_000_000n);
    await ingestUsage(
      agent.id,
      use("next", new Date(yesterday.getTime() + minutes(10)), 1),
      {},
      {
        now: new Date(yesterday.getTime() + minutes(10)),
      },
    );
    expect(await rowAt(yesterday)).toBe(1_000_000n);

    // A decision made a minute before midnight, settled by $3 of usage a minute after: charged to its own day, once.
    const d = await authorizeAction(
      agent.id,
      {},
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 5 },
      new Date(today.getTime() - minutes(1)),
    );
    expect(d.decision).toBe("allow");
    const after = new Date(today.getTime() + minutes(1));
    await ingestUsage(agent.id, use("settles", after, 3, d.decisionId), {}, { now: after });
    expect(await rowAt(yesterday)).toBe(4_000_000n);
    await authorizeAction(
      agent.id,
      {},
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 },
      new Date(today.getTime() + minutes(2)),
    );
    expect(await rowAt(today)).toBe(0n);
  });

  it("a time-zone change leaves the running period as it is: what it spent and holds counts once, and the next period starts where it ends", async () => {
    const { org, agent } = await agentWithRules("zone");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
    );
    const hours = (h: number) => new Date(periodStart("day", new Date(), "UTC").getTime() + h * 3_600_000);
    const ask = (usd: number, at: Date) =>
      authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: usd }, at);
    const use = (id: string, at: Date, costUsd: number, decisionId?: string) =>
      ingestUsage(
        agent.id,
        {
          events: [
            { id, timestamp: at.toISOString(), model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd, decisionId },
          ],
        },
        {},
        { now: at },
      );
    const rows = async () =>
      Object.fromEntries(
        (await db().budgetPeriodUsage.findMany({ where: { budgetId: budget.id } })).map((r) => [
          (r.periodStart.getTime() - hours(0).getTime()) / 3_600_000,
          Number(r.spentMicros) / 1e6,
        ]),
      );
    try {
      // $9 spent at 01:00 UTC, and $0.50 held by a decision just before 05:00.
      await use("early", hours(1), 9);
      const held = await ask(0.5, hours(4.98));
      expect(held.decision).toBe("allow");
      // At 05:00 UTC the organisation moves to São Paulo, whose day began at 03:00 UTC: the UTC day running when it
      // changed runs to its end, still counting the $9 and the $0.50 held, so $1 more is refused.
      await updateOrgSettings(org.admin, {}, { timeZone: "America/Sao_Paulo" }, hours(5));
      expect((await ask(1, hours(5.02))).decision).toBe("deny");
      await use("settles", hours(5.03), 0.4, held.decisionId);
      // Back to UTC at 06:00 and to Tokyo (whose next day starts at 15:00 UTC) at 10:00: still the same day, $9.40.
      await updateOrgSettings(org.admin, {}, { timeZone: "UTC" }, hours(6));
      await updateOrgSettings(org.admin, {}, { timeZone: "Asia/Tokyo" }, hours(10));
      expect((await ask(0.5, hours(16))).decision).toBe("allow");
      expect((await ask(0.2, hours(16.01))).decision).toBe("deny");
      // The next period starts at the UTC midnight and runs to Tokyo's second midnight (15:00 UTC the day after), so
      // no period is shorter than a day; then Tokyo's days.
      await use("tomorrow", hours(25), 2);
      await use("tokyo", hours(64), 3);
      expect(await rows()).toEqual({ 0: 9.4, 24: 2, 63: 3 });
    } finally {
      await resetTimeZone(org.admin);
    }
  });

  it("a change of zone never cuts a period short: a few hours' period would have a whole limit of its own", async () => {
    const { org, agent } = await agentWithRules("sliver");
    await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
    );
    const hours = (h: number) => new Date(periodStart("day", new Date(), "UTC").getTime() + h * 3_600_000);
    const ask = (usd: number, h: number) =>
      authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: usd }, hours(h));
    try {
      // UTC, then Kathmandu (+5:45): the UTC day runs to its end; Kathmandu's next midnight is 18:15 UTC, and the
      // period runs on to its second (18:15 UTC the day after), not a period of 18 hours and a quarter.
      await updateOrgSettings(org.admin, {}, { timeZone: "Asia/Kathmandu" }, hours(1));
      const first = await ask(9, 41);
      expect(first.decision).toBe("allow");
      const spent = {
        id: "spent",
        timestamp: hours(41.01).toISOString(),
        model: "gpt-5",
        inputTokens: 1,
        outputTokens: 1,
      };
      await ingestUsage(
        agent.id,
        { events: [{ ...spent, costUsd: 9, decisionId: first.decisionId }] },
        {},
        { now: hours(41.01) },
      );
      // The attack: $9 more once Kathmandu's first midnight has passed. It is the same period's.
      expect((await ask(9, 42.5)).decision).toBe("deny");
      expect((await ask(9, 66.5)).decision).toBe("allow");
    } finally {
      await resetTimeZone(org.admin);
    }
  });

  it("far-dated usage cannot move a decision's spend out of its period: 422, and in-window past usage lands in the decision's period", async () => {
    const { org, agent } = await agentWithRules("overshoot");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
    );
    const ask = () => authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 9 });
    const d = await ask();
    expect(d.decision).toBe("allow");
    const usage = (id: string, timestamp: string) =>
      ingestUsage(agent.id, {
        events: [
          { id, timestamp, model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd: 9, decisionId: d.decisionId },
        ],
      });

    // The attack: settle the $9 decision with usage dated far away, so today's budget never sees it.
    for (const far of [
      "9999-12-31T00:00:00Z",
      "0001-01-01T00:00:00Z",
      new Date(Date.now() + 3_600_000).toISOString(),
    ]) {
      const err = await usage(`far-${far}`, far).catch((e: unknown) => e);
      expect(err).toMatchObject({
        kind: "validation",
        details: { "events.0.timestamp": [expect.stringMatching(/future|late-arrival/)] },
      });
    }
    expect(await db().usageEvent.count({ where: { agentId: agent.id } })).toBe(0);
    const today = await periodRow(budget.id);
    expect([today.spentMicros, today.reservedMicros]).toEqual([0n, 9_000_000n]); // still reserved: nothing was settled
    expect((await ask()).decision).toBe("deny");

    // In the window but from an earlier day: accepted, and charged to the day the decision reserved in.
    await usage("late", new Date(Date.now() - 26 * 3_600_000).toISOString());
    const rows = await db().budgetPeriodUsage.findMany({ where: { budgetId: budget.id } });
    expect(rows.map((r) => [r.periodStart.getTime(), r.spentMicros, r.reservedMicros])).toEqual([
      [today.periodStart.getTime(), 9_000_000n, 0n],
    ]);
    expect(await ask()).toMatchObject({ decision: "deny", code: "budget_exhausted", budgetId: budget.id });
  });

  it("backdated usage without its decision, or naming a stale decision, counts in the period it is reported in", async () => {
    const { org, agent } = await agentWithRules("backdate");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
    );
    const ask = (at = new Date()) =>
      authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 9 }, at);
    const yesterday = new Date(Date.now() - 26 * 3_600_000).toISOString();
    const stale = await ask(new Date(Date.now() - 10 * 60_000)); // its reservation has expired
    expect(stale.decision).toBe("allow");
    // Usage dated yesterday, without its decision or naming the expired one: still today's spend.
    await ingestUsage(agent.id, {
      events: [
        { id: "no-decision", timestamp: yesterday, model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd: 5 },
      ],
    });
    await ingestUsage(agent.id, {
      events: [
        {
          id: "stale-decision",
          timestamp: yesterday,
          model: "gpt-5",
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 5,
          decisionId: stale.decisionId,
        },
      ],
    });
    expect((await periodRow(budget.id)).spentMicros).toBe(10_000_000n);
    // Once the expired reservation is swept, nothing is left for a $9 call today.
    expect(await ask()).toMatchObject({ decision: "deny", code: "budget_exhausted" });
  });

  it("a decision made just before midnight carries only its estimate into yesterday: the rest is today's spend", async () => {
    const { org, agent } = await agentWithRules("midnight");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
    );
    const todayStart = periodStart("day", new Date(), "UTC");
    const d = await authorizeAction(
      agent.id,
      {},
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 },
      new Date(todayStart.getTime() - 10_000),
    );
    const reportedAt = new Date(todayStart.getTime() + 30_000);
    const events = Array.from({ length: 3 }, (_, i) => ({
      id: `m${i}`,
      timestamp: reportedAt.toISOString(),
      model: "gpt-5",
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 3.33,
      decisionId: d.decisionId,
    }));
    await ingestUsage(agent.id, { events }, {}, { now: reportedAt });
    const rows = await db().budgetPeriodUsage.findMany({
      where: { budgetId: budget.id },
      orderBy: { periodStart: "asc" },
    });
    expect(rows.map((r) => [r.periodStart.getTime(), r.spentMicros, r.reservedMicros])).toEqual([
      [todayStart.getTime() - 86_400_000, 10_000n, 0n],
      [todayStart.getTime(), 9_980_000n, 0n],
    ]);
    expect(
      await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 }),
    ).toMatchObject({ decision: "deny", code: "budget_exhausted" });
  });

  it("degrades to the fallback model when a degrade budget is exhausted", async () => {
    const { org, agent } = await agentWithRules("degrade");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "soft", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1, hardAction: "degrade" },
    );
    expect(
      (await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.6 })).decision,
    ).toBe("allow");
    const d = await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.6 });
    expect(d).toMatchObject({ decision: "degrade", code: "budget_degraded", model: "gpt-5-mini", budgetId: budget.id });
    expect(await db().auditEvent.count({ where: { targetId: d.decisionId, action: "decision.degraded" } })).toBe(1);
  });

  it("a call the reservation's statement cannot settle alone (new period, degrading, exhausted, no estimate) is decided the long way, once", async () => {
    const { org, agent } = await agentWithRules("longway");
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `rt-longway2-${org.tag}`));
    await addPermissionRule(org.admin, {}, other.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
    const soft = await createBudget(
      org.admin,
      {},
      { name: "soft", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1, hardAction: "degrade" },
    );
    const team = await createBudget(
      org.admin,
      {},
      { name: "team", scope: "team", teamId: org.team.id, period: "day", limitUsd: 2.5, hardAction: "block" },
    );
    const ask = (a: { id: string }, estimatedCostUsd?: number) =>
      authorizeAction(a.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd });
    const outcomes = [
      await ask(agent, 0.6), // no period rows yet
      await ask(other, 0.1), // settled in one statement
      await ask(agent, 0.6), // the soft budget goes over: degrade
      await ask(agent), // no estimate, the soft budget spent: degrade
      await ask(agent, 1.5), // the team's block budget cannot take it
      await ask(other), // no estimate, nothing exhausted for this one
    ];
    expect(outcomes.map((d) => [d.decision, d.code])).toEqual([
      ["allow", "allowed"],
      ["allow", "allowed"],
      ["degrade", "budget_degraded"],
      ["degrade", "budget_degraded"],
      ["deny", "budget_exhausted"],
      ["allow", "allowed"],
    ]);
    const decisions = await db().decision.findMany({
      where: { agentId: { in: [agent.id, other.id] } },
      orderBy: { createdAt: "asc" },
    });
    expect(decisions.map((d) => d.id).sort()).toEqual(outcomes.map((d) => d.decisionId).sort());
    for (const d of outcomes)
      expect(decisions.find((x) => x.id === d.decisionId)).toMatchObject({ decision: d.decision, code: d.code });
    expect((await periodRow(soft.id)).reservedMicros).toBe(1_200_000n);
    expect((await periodRow(team.id)).reservedMicros).toBe(1_300_000n);
    await drainAuditOutbox();
    const audited = await db().auditEvent.findMany({
      where: { agentId: agent.id, action: { startsWith: "decision." } },
    });
    expect(audited.map((e) => e.targetId).sort()).toEqual(
      outcomes
        .slice(2, 5)
        .map((d) => d.decisionId)
        .sort(),
    );
  });

  it("applies rules: deny wins, default deny, and writes nothing for malformed input", async () => {
    const { agent } = await agentWithRules("rules");
    expect(
      await authorizeAction(agent.id, {}, { action: "tool:invoke", resource: "github.create_issue" }),
    ).toMatchObject({ decision: "allow" });
    const denied = await authorizeAction(
      agent.id,
      {},
      { action: "tool:invoke", resource: "github.delete_repo", context: { repo: "x" } },
    );
    expect(denied).toMatchObject({ decision: "deny", code: "rule_denied" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: denied.decisionId } });
    expect(audit).toMatchObject({ action: "decision.denied", actorType: "agent", outcome: "denied" });
    expect(await authorizeAction(agent.id, {}, { action: "data:read", resource: "customers/1" })).toMatchObject({
      decision: "deny",
      code: "no_matching_rule",
    });
    const before = await db().decision.count();
    await expect(
      authorizeAction(agent.id, {}, { action: "", resource: "x", estimatedCostUsd: -1 } as never),
    ).rejects.toBeInstanceOf(ZodError);
    // A call's context is stored with its decision and, denied, in the audit trail: a megabyte of it each call would
    // fill both. Over 8 KiB is refused; at the limit it is recorded.
    const pad = (n: number) => ({ pad: "x".repeat(n) });
    await expect(
      authorizeAction(agent.id, {}, { action: "data:read", resource: "nope", context: pad(100_000) }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await db().decision.count()).toBe(before);
    const fits = pad(8 * 1024 - JSON.stringify(pad(0)).length);
    expect(await authorizeAction(agent.id, {}, { action: "data:read", resource: "nope", context: fits })).toMatchObject(
      {
        decision: "deny",
      },
    );
    expect(await db().decision.count()).toBe(before + 1);
  });

  it("denies every call from a suspended agent, at once, until resumed", async () => {
    const { org, agent } = await agentWithRules("kill");
    expect((await authorizeAction(agent.id, {}, { action: "tool:invoke", resource: "github.search" })).decision).toBe(
      "allow",
    );
    await suspendAgent(org.admin, {}, agent.id, { reason: "leaking data" });
    expect(await authorizeAction(agent.id, {}, { action: "tool:invoke", resource: "github.search" })).toMatchObject({
      decision: "deny",
      code: "agent_suspended",
    });
    await expect(getRuntimeConfig(agent.id)).rejects.toMatchObject({ kind: "forbidden", code: "agent_suspended" });
    await resumeAgent(org.admin, {}, agent.id);
    expect((await authorizeAction(agent.id, {}, { action: "tool:invoke", resource: "github.search" })).decision).toBe(
      "allow",
    );
    const served = await getRuntimeConfig(agent.id);
    expect(served.body.version.number).toBe(1);
    // An edit of the agent (its name, its environment) is in the body, so it changes the tag: no stale 304.
    await updateAgent(org.admin, {}, agent.id, { name: "Renamed" });
    const renamed = await getRuntimeConfig(agent.id);
    expect(renamed.body.agent.name).toBe("Renamed");
    expect(renamed.etag).not.toBe(served.etag);
    expect((await getRuntimeConfig(agent.id)).etag).toBe(renamed.etag);
  });

  it("retires an agent for good: keys revoked in the same transaction, no resuming, history kept", async () => {
    const { org, agent } = await agentWithRules("retire");
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "prod" });
    expect(await agentFromKey(key.token)).not.toBeNull();
    await expect(retireAgent(org.viewer, {}, agent.id, { reason: "replaced" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(retireAgent(org.admin, {}, agent.id, { reason: " " })).rejects.toBeInstanceOf(ZodError);
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("active");

    await retireAgent(org.admin, { requestId: "retire-1" }, agent.id, { reason: "replaced by v2 pipeline" });
    expect(await agentFromKey(key.token)).toBeNull();
    await expect(getRuntimeConfig(agent.id)).rejects.toMatchObject({ kind: "forbidden", code: "agent_retired" });
    expect(await authorizeAction(agent.id, {}, { action: "tool:invoke", resource: "github.search" })).toMatchObject({
      decision: "deny",
      reason: "Agent is retired",
    });
    await expect(resumeAgent(org.admin, {}, agent.id)).rejects.toMatchObject({ kind: "validation" });
    await expect(retireAgent(org.admin, {}, agent.id, { reason: "again" })).rejects.toMatchObject({
      code: "agent_retired",
    });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "agent.retired", agentId: agent.id } });
    expect(event).toMatchObject({
      reason: "replaced by v2 pipeline",
      requestId: "retire-1",
      after: { status: "retired", keysRevoked: 1, requestsRejected: 0 },
    });
  });
});

describe("authorize from the agent as read with its key (the authorize route's preload)", () => {
  const spend = { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 };
  const withKey = async (token: string) => (await agentFromKey(token, undefined, decisionSnapshot))?.preloaded;

  it("decides and reserves as from the transaction's own read; an old read is read again; a revoked key reads nothing", async () => {
    const { org, agent } = await agentWithRules("snap");
    const budget = await createBudget(
      org.admin,
      {},
      { name: "snap", scope: "agent", agentId: agent.id, period: "day", limitUsd: 2, hardAction: "block" },
    );
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "snap" });
    const snapshot = await withKey(key.token);
    expect(snapshot?.agent).toMatchObject({ id: agent.id, status: "active" });
    expect(snapshot?.agent.budgets.map((b) => b.id)).toContain(budget.id);
    const first = await authorizeAction(agent.id, {}, spend, undefined, undefined, snapshot);
    expect(first).toMatchObject({ decision: "allow", budget: { remainingUsd: 1 } });
    expect(await db().decision.findUniqueOrThrow({ where: { id: first.decisionId } })).toMatchObject({
      decision: "allow",
      estimatedMicros: 1_000_000n,
    });
    // The bound holds whatever the snapshot said was left: $1 fits, then nothing does.
    const again = await withKey(key.token);
    expect(await authorizeAction(agent.id, {}, spend, undefined, undefined, again)).toMatchObject({
      decision: "allow",
    });
    expect(await authorizeAction(agent.id, {}, spend, undefined, undefined, again)).toMatchObject({
      decision: "deny",
      code: "budget_exhausted",
    });
    expect((await periodRow(budget.id)).reservedMicros).toBe(2_000_000n);

    // Read, then the agent is suspended while the body is (slowly) sent: a read that old is not used.
    const old = (await withKey(key.token))!;
    await suspendAgent(org.admin, {}, agent.id, { reason: "leaking data" });
    expect(
      await authorizeAction(agent.id, {}, spend, undefined, undefined, { ...old, readAt: old.readAt - 1_000 }),
    ).toMatchObject({ decision: "deny", code: "agent_suspended" });
    // Nor is another agent's read.
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `rt-snap-2-${org.tag}`));
    await addPermissionRule(org.admin, {}, other.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
    expect(
      await authorizeAction(other.id, {}, { action: "model:use", resource: "gpt-5" }, undefined, undefined, old),
    ).toMatchObject({ decision: "allow" });
    expect((await periodRow(budget.id)).reservedMicros).toBe(2_000_000n);

    await revokeAgentKey(org.admin, {}, agent.id, key.id);
    expect(await agentFromKey(key.token, undefined, decisionSnapshot)).toBeNull();
  });

  it("a rule changed after the read decides the call: every rule edit changes the agent's row, which the read is checked against", async (ctx) => {
    // The embedded database runs authorize in the ORM's transaction, which never decides from the key's read.
    if (dbTarget().kind !== "postgres") ctx.skip();
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `rt-snap-rule-${org.tag}`));
    const rule = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "allow",
      action: "model:use",
      resource: "gpt-5",
    });
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "snap" });
    const ask = { action: "model:use", resource: "gpt-5" };
    expect(await authorizeAction(agent.id, {}, ask, undefined, undefined, await withKey(key.token))).toMatchObject({
      decision: "allow",
    });
    // Read with the key just before the admin's change commits, and still fresh when the call's transaction runs.
    const read = (await withKey(key.token))!;
    await deletePermissionRule(org.admin, {}, agent.id, rule.id);
    expect(
      await authorizeAction(agent.id, {}, ask, undefined, undefined, { ...read, readAt: performance.now() }),
    ).toMatchObject({ decision: "deny" });
  });

  it("a call queued behind a suspension (the agent's row locked for it) sees it, though its agent was read before", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // the read with the key is the hot path's (the embedded database has one connection)
    const { org, agent } = await agentWithRules("snap-queued");
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "snap" });
    let call: Promise<unknown> | undefined;
    await db().$transaction(async (tx) => {
      // As retiring, or editing its rules, does: the agent's row locked for update, then changed.
      await tx.$executeRaw`SELECT 1 FROM agents WHERE id = ${agent.id} FOR UPDATE`;
      await tx.agent.update({ where: { id: agent.id }, data: { status: "suspended", statusReason: "queued" } });
      const snapshot = await withKey(key.token);
      expect(snapshot?.agent.status).toBe("active"); // read outside the suspension's transaction
      call = authorizeAction(agent.id, {}, spend, undefined, undefined, snapshot);
      await new Promise((r) => setTimeout(r, 300)); // the call waits for the agent's lock meanwhile
    });
    expect(await call).toMatchObject({ decision: "deny", code: "agent_suspended" });
    expect(await db().decision.count({ where: { agentId: agent.id, decision: "allow" } })).toBe(0);
  });

  it("an agent deleted after it was read with its key: 404 and nothing written", async () => {
    const { org, agent } = await agentWithRules("snap-gone");
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "snap" });
    const snapshot = await withKey(key.token);
    expect(snapshot).toBeDefined();
    await db().$executeRaw`DELETE FROM agents WHERE id = ${agent.id}`;
    await expect(authorizeAction(agent.id, {}, spend, undefined, undefined, snapshot)).rejects.toMatchObject({
      kind: "not_found",
    });
    expect(await db().decision.count({ where: { agentId: agent.id } })).toBe(0);
  });
});

describe("agent keys", () => {
  it("accept live keys only: revoked, expired and rotated-out keys stop working", async () => {
    const { org, agent } = await agentWithRules("keys");
    const a = await createAgentKey(org.admin, {}, agent.id, { name: "prod" });
    expect(a.token).toMatch(/^acp_ak_/);
    expect(JSON.stringify(await db().agentKey.findUnique({ where: { id: a.id } }))).not.toContain(a.token);
    expect((await agentFromKey(a.token))?.agent.id).toBe(agent.id);
    expect(await agentFromKey(`${a.token}x`)).toBeNull();

    const rotated = await rotateAgentKey(org.admin, {}, agent.id, a.id, { graceMinutes: 10 });
    expect((await agentFromKey(rotated.token))?.agent.id).toBe(agent.id);
    expect((await agentFromKey(a.token))?.agent.id).toBe(agent.id); // still inside the grace period
    await db().agentKey.update({ where: { id: a.id }, data: { expiresAt: new Date(Date.now() - 1000) } }); // grace over
    expect(await agentFromKey(a.token)).toBeNull();
    await expect(rotateAgentKey(org.admin, {}, agent.id, a.id, {})).rejects.toMatchObject({ code: "key_inactive" });

    await revokeAgentKey(org.admin, {}, agent.id, rotated.id);
    expect(await agentFromKey(rotated.token)).toBeNull();
    await expect(createAgentKey(org.viewer, {}, agent.id, { name: "x" })).rejects.toMatchObject({ kind: "forbidden" });
    const actions = (
      await db().auditEvent.findMany({
        where: { agentId: agent.id, targetType: "agent_key" },
        orderBy: { position: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual(["key.created", "key.rotated", "key.revoked"]);
  });
});

describe("pricing over time", () => {
  it("applies a mid-day price change only to events after it", async () => {
    const { org, agent } = await agentWithRules("price");
    const model = `mid-${org.tag}`;
    await priceModel(org.admin, model, [10, 1, 0], new Date("2026-03-01T00:00:00Z"), "p");
    await priceModel(org.admin, model, [20, 2, 0], new Date("2026-03-05T12:00:00Z"), "p");
    await ingestUsage(
      agent.id,
      {
        events: [
          { id: "before", timestamp: "2026-03-05T11:59:59Z", model, inputTokens: 1000, outputTokens: 0 },
          { id: "after", timestamp: "2026-03-05T12:00:00Z", model, inputTokens: 1000, outputTokens: 0 },
        ],
      },
      {},
      { trustedBackfill: true },
    ); // history, outside the window the API accepts
    const rows = await db().usageEvent.findMany({ where: { agentId: agent.id }, orderBy: { eventId: "asc" } });
    expect(rows.map((r) => [r.eventId, r.costMicros])).toEqual([
      ["after", 20_000n],
      ["before", 10_000n],
    ]);
  });
});
