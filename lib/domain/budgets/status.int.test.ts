import { describe, expect, it } from "vitest";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { ingestUsage } from "../usage/ingest-usage";
import { archiveBudget } from "./archive-budget";
import { createBudget } from "./create-budget";
import { periodStart } from "./periods";
import { budgetHistory, budgetStatusByAgent, getBudget } from "./queries";

let n = 0;
/** Reports `usd` of spend for the agent (at `at`, back-filled so it lands in that period's ledger row). */
const spend = (agentId: string, usd: number, at = new Date()) =>
  ingestUsage(
    agentId,
    {
      events: [
        { id: `s${++n}`, timestamp: at.toISOString(), model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd: usd },
      ],
    },
    {},
    { trustedBackfill: true },
  );

describe("budget status per agent", () => {
  it("is on track below 80 %, near from 80 %, over from 100 %; the tightest covering budget wins", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `st-a-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.team.id, `st-b-${org.tag}`));
    const loose = await registerAgent(org.admin, {}, agentInput(org.other.id, `st-c-${org.tag}`));
    const own = await createBudget(
      org.admin,
      {},
      { name: "a daily", scope: "agent", agentId: a.id, period: "day", limitUsd: 10, hardAction: "notify" },
    );
    const status = async (agentId: string) =>
      (await budgetStatusByAgent(org.admin, [a, b, loose])).get(agentId) ?? null;

    await spend(a.id, 7.99);
    expect(await status(a.id)).toMatchObject({ status: "on_track", percentUsed: 79.9, budgetId: own.id });
    await spend(a.id, 0.01);
    expect(await status(a.id)).toMatchObject({ status: "near", percentUsed: 80 });
    await spend(a.id, 1.99);
    expect(await status(a.id)).toMatchObject({ status: "near", percentUsed: 99.9 });
    await spend(a.id, 0.01);
    expect(await status(a.id)).toMatchObject({ status: "over", percentUsed: 100 });
    await spend(a.id, 11.4);
    expect(await status(a.id)).toMatchObject({ status: "over", percentUsed: 214, spentMicros: 21_400_000n });
    // No budget covers b or the other team's agent yet.
    expect(await status(b.id)).toBeNull();
    expect(await status(loose.id)).toBeNull();

    // A team budget at 90 % is tighter for b than nothing, and looser for a than its own 214 %.
    const team = await createBudget(
      org.admin,
      {},
      { name: "team weekly", scope: "team", teamId: org.team.id, period: "week", limitUsd: 50, hardAction: "notify" },
    );
    await spend(b.id, 45 - 21.4);
    expect(await status(b.id)).toMatchObject({ status: "near", percentUsed: 90, budgetId: team.id, scope: "team" });
    expect(await status(a.id)).toMatchObject({ budgetId: own.id, percentUsed: 214 });
    // Once a's own budget is archived, the team's is the tightest left.
    await archiveBudget(org.admin, {}, own.id);
    expect(await status(a.id)).toMatchObject({ status: "near", budgetId: team.id });

    // An organisation budget covers every agent; where it is the only one it decides.
    const orgBudget = await createBudget(
      org.admin,
      {},
      { name: "org monthly", scope: "org", period: "month", limitUsd: 1_000_000, hardAction: "notify" },
    );
    try {
      expect(await status(loose.id)).toMatchObject({ status: "on_track", budgetId: orgBudget.id, scope: "org" });
      expect(await status(b.id)).toMatchObject({ budgetId: team.id });

      // A team lead gets statuses for their own teams' agents only.
      const seen = await budgetStatusByAgent(org.lead, [a, b, loose]);
      expect([...seen.keys()].sort()).toEqual([a.id, b.id].sort());
    } finally {
      await archiveBudget(org.admin, {}, orgBudget.id);
    }
  });
});

describe("budget period history", () => {
  it("sums spend per period, oldest first, with empty periods as zero", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `hist-${org.tag}`));
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `hist-o-${org.tag}`));
    const budget = await createBudget(
      org.admin,
      {},
      { name: "hist daily", scope: "agent", agentId: a.id, period: "day", limitUsd: 2, hardAction: "notify" },
    );
    // After the budget is made: today is the budget's own period whenever the test runs.
    const now = new Date();
    const daysAgo = (d: number) => new Date(periodStart("day", now).getTime() - d * 86_400_000 + 3_600_000);
    await spend(a.id, 1, now);
    await spend(a.id, 2, daysAgo(2));
    await spend(a.id, 0.5, daysAgo(2));
    await spend(a.id, 4, daysAgo(13));
    await spend(a.id, 9, daysAgo(20)); // before the window
    await spend(other.id, 7, daysAgo(2)); // not this budget's agent

    const h = await budgetHistory(org.admin, budget.id, {}, now);
    expect(h.periods).toHaveLength(14);
    expect(h.limitMicros).toBe(2_000_000n);
    expect(h.periods.at(-1)!.periodStart.getTime()).toBe(periodStart("day", now).getTime());
    const spent = h.periods.map((p) => Number(p.spentMicros) / 1e6);
    expect(spent).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.5, 0, 1]);
    expect(h.periods[11]).toMatchObject({ percentUsed: 125, status: "over" });
    expect(h.periods[13]).toMatchObject({ percentUsed: 50, status: "on_track" });
    for (let i = 1; i < h.periods.length; i++)
      expect(h.periods[i].periodStart.getTime()).toBe(h.periods[i - 1].periodEnd.getTime());
    // The budget was created today: it was not in force on any earlier day.
    expect(h.periods.map((p) => p.beforeBudget)).toEqual([...Array(13).fill(true), false]);

    expect((await budgetHistory(org.admin, budget.id, { periods: 3 }, now)).periods.map((p) => p.spentMicros)).toEqual([
      2_500_000n,
      0n,
      1_000_000n,
    ]);
    // Outside a lead's teams the budget does not exist for them.
    const theirs = await registerAgent(org.admin, {}, agentInput(org.other.id, `hist-t-${org.tag}`));
    const hidden = await createBudget(
      org.admin,
      {},
      { name: "hidden", scope: "agent", agentId: theirs.id, period: "week", limitUsd: 5 },
    );
    await expect(budgetHistory(org.lead, hidden.id)).rejects.toMatchObject({ kind: "not_found" });
    const weekly = await budgetHistory(org.admin, hidden.id);
    expect(weekly.periods).toHaveLength(12);
    expect(weekly.periods.every((p) => p.spentMicros === 0n && p.status === "on_track")).toBe(true);
  });

  it("counts the period's calls with no price for their model, in the budget's own scope", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `up-a-${org.tag}`));
    const other = await registerAgent(org.admin, {}, agentInput(org.other.id, `up-b-${org.tag}`));
    const own = await createBudget(
      org.admin,
      {},
      { name: "a daily", scope: "agent", agentId: a.id, period: "day", limitUsd: 10, hardAction: "notify" },
    );
    const team = await createBudget(
      org.admin,
      {},
      { name: "team daily", scope: "team", teamId: org.team.id, period: "day", limitUsd: 10, hardAction: "notify" },
    );
    expect(await getBudget(org.admin, own.id)).toMatchObject({ unpricedCalls: 0 });
    const unpriced = (agentId: string, count: number) =>
      ingestUsage(agentId, {
        events: Array.from({ length: count }, () => ({
          id: `u${++n}`,
          timestamp: new Date().toISOString(),
          model: `no-price-${org.tag}`,
          inputTokens: 10,
          outputTokens: 10,
        })),
      });
    await unpriced(a.id, 3);
    await unpriced(other.id, 2); // another team's agent: in neither budget
    await spend(a.id, 1); // priced (reported cost): not counted
    expect(await getBudget(org.admin, own.id)).toMatchObject({ unpricedCalls: 3, spentMicros: 1_000_000n });
    expect(await getBudget(org.admin, team.id)).toMatchObject({ unpricedCalls: 3 });
  });
});
