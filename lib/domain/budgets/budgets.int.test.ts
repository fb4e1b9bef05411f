import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg, resetTimeZone } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { authorizeAction } from "../decisions/authorize-action";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { updateOrgSettings } from "../settings/update-org-settings";
import { ingestUsage } from "../usage/ingest-usage";
import { archiveBudget } from "./archive-budget";
import { createBudget } from "./create-budget";
import { budgetsCoveringAgent, getBudget, listBudgets } from "./queries";
import { updateBudget } from "./update-budget";

async function setup() {
  const org = await makeOrg();
  const mine = await registerAgent(org.admin, {}, agentInput(org.team.id, `bud-mine-${org.tag}`));
  const theirs = await registerAgent(org.admin, {}, agentInput(org.other.id, `bud-theirs-${org.tag}`));
  return { org, mine, theirs };
}

describe("budgets", () => {
  it("team leads manage their own teams' budgets only; nothing changes when refused", async () => {
    const { org, mine, theirs } = await setup();
    const own = await createBudget(
      org.lead,
      {},
      { name: "mine", scope: "agent", agentId: mine.id, period: "day", limitUsd: 5 },
    );
    const ownTeam = await createBudget(
      org.lead,
      {},
      { name: "my team", scope: "team", teamId: org.team.id, period: "week", limitUsd: 50 },
    );
    const other = await createBudget(
      org.admin,
      {},
      { name: "theirs", scope: "team", teamId: org.other.id, period: "month", limitUsd: 100 },
    );
    const otherAgent = await createBudget(
      org.admin,
      {},
      { name: "their agent", scope: "agent", agentId: theirs.id, period: "month", limitUsd: 10 },
    );
    // Another team's agent is unknown to the lead, exactly like a missing one.
    await expect(
      createBudget(org.lead, {}, { name: "x", scope: "agent", agentId: theirs.id, period: "day", limitUsd: 1 }),
    ).rejects.toMatchObject({ kind: "validation", message: "Unknown agent" });
    await expect(
      createBudget(org.lead, {}, { name: "x", scope: "org", period: "day", limitUsd: 1 }),
    ).rejects.toMatchObject({ kind: "forbidden" });

    await updateBudget(org.lead, {}, own.id, { limitUsd: 7.5, thresholds: [90, 50, 50] });
    expect(await db().budget.findUniqueOrThrow({ where: { id: own.id } })).toMatchObject({
      limitMicros: 7_500_000n,
      thresholds: [50, 90],
    });
    await updateBudget(org.lead, {}, ownTeam.id, { hardAction: "notify" });

    const auditBefore = await db().auditEvent.count();
    for (const b of [other, otherAgent]) {
      // Outside the lead's teams: "not found", as when reading it (a 403 would confirm it exists).
      await expect(updateBudget(org.lead, {}, b.id, { limitUsd: 1_000_000 })).rejects.toMatchObject({
        kind: "not_found",
        message: "Budget not found",
      });
      await expect(archiveBudget(org.lead, {}, b.id)).rejects.toMatchObject({ kind: "not_found" });
    }
    for (const who of [org.viewer, org.auditor])
      await expect(updateBudget(who, {}, own.id, { limitUsd: 1 })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(updateBudget(org.admin, {}, own.id, { limitUsd: -3 })).rejects.toBeInstanceOf(ZodError);
    expect(await db().auditEvent.count()).toBe(auditBefore);
    expect((await db().budget.findUniqueOrThrow({ where: { id: other.id } })).limitMicros).toBe(100_000_000n);

    // Reads: the lead sees their teams' budgets and organisation budgets, with canManage only where allowed.
    const seen = (await listBudgets(org.lead)).items;
    expect(seen.map((b) => b.name).sort()).toEqual(expect.arrayContaining(["mine", "my team"]));
    expect(seen.some((b) => b.name === "theirs" || b.name === "their agent")).toBe(false);
    expect(seen.every((b) => b.canManage)).toBe(true);
    await expect(getBudget(org.lead, other.id)).rejects.toMatchObject({ kind: "not_found" });
    expect((await getBudget(org.viewer, other.id)).canManage).toBe(false);
  });

  it("a budget's first period row starts from what its scope already spent: its agent's, its team's or everyone's", async () => {
    const { org, mine, theirs } = await setup();
    const spend = (agentId: string, id: string, costUsd: number) =>
      ingestUsage(agentId, {
        events: [{ id, timestamp: new Date().toISOString(), model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd }],
      });
    await spend(mine.id, "before-mine", 3);
    await spend(theirs.id, "before-theirs", 5);
    const daily = { period: "day" as const, limitUsd: 1_000_000 };
    const [agent, team, everyone] = await Promise.all([
      createBudget(org.admin, {}, { name: "agent", scope: "agent", agentId: mine.id, ...daily }),
      createBudget(org.admin, {}, { name: "team", scope: "team", teamId: org.team.id, ...daily }),
      createBudget(org.admin, {}, { name: "org", scope: "org", ...daily }),
    ]);
    const start = (await db().budgetPeriodUsage.findMany({ where: { budgetId: agent.id } }))[0]?.periodStart;
    expect(start).toBeUndefined(); // no row until usage or a reservation needs one
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0);
    const all = await db().usageRollupHourly.aggregate({ where: { hour: { gte: day } }, _sum: { costMicros: true } });
    await spend(mine.id, "after-mine", 1);
    const rows = new Map(
      (await db().budgetPeriodUsage.findMany({ where: { budgetId: { in: [agent.id, team.id, everyone.id] } } })).map(
        (r) => [r.budgetId, r.spentMicros],
      ),
    );
    expect(rows.get(agent.id)).toBe(4_000_000n);
    expect(rows.get(team.id)).toBe(4_000_000n);
    expect(rows.get(everyone.id)).toBe((all._sum.costMicros ?? 0n) + 1_000_000n);
  });

  it("lists each budget's unpriced calls of its period: its agent's, its team's or everyone's", async () => {
    const { org, mine, theirs } = await setup();
    const unpriced = `no-price-${org.tag}`;
    const now = Date.now();
    const use = (id: string, model: string, ago = 0, costUsd?: number) => ({
      id,
      timestamp: new Date(now - ago).toISOString(),
      model,
      inputTokens: 10,
      outputTokens: 10,
      ...(costUsd === undefined ? {} : { costUsd }),
    });
    await ingestUsage(mine.id, {
      events: [
        use("u1", unpriced),
        use("u2", unpriced),
        use("p1", "gpt-5", 0, 1),
        use("old", unpriced, 2 * 86_400_000), // two days ago: outside today's period
      ],
    });
    await ingestUsage(theirs.id, { events: [use("u1", unpriced)] });
    // Budgets that never refuse a call: the organisation's covers the other tests' agents too.
    const daily = { period: "day" as const, limitUsd: 1_000_000, hardAction: "notify" as const };
    const [agentDay, agentMonth, team, otherTeam, everyone] = await Promise.all([
      createBudget(org.admin, {}, { name: "agent day", scope: "agent", agentId: mine.id, ...daily }),
      createBudget(org.admin, {}, { name: "agent month", scope: "agent", agentId: mine.id, ...daily, period: "month" }),
      createBudget(org.admin, {}, { name: "team", scope: "team", teamId: org.team.id, ...daily }),
      createBudget(org.admin, {}, { name: "other team", scope: "team", teamId: org.other.id, ...daily }),
      createBudget(org.admin, {}, { name: "org", scope: "org", ...daily }),
    ]);
    const listed = new Map((await listBudgets(org.admin, { limit: 200 })).items.map((b) => [b.id, b]));
    const month = listed.get(agentMonth.id)!;
    const everyoneToday = await db().usageRollupHourly.aggregate({
      where: { hour: { gte: listed.get(everyone.id)!.periodStart, lt: listed.get(everyone.id)!.resetsAt } },
      _sum: { unpricedCalls: true },
    });
    expect(listed.get(agentDay.id)?.unpricedCalls).toBe(2);
    expect(month.unpricedCalls).toBe(now - 2 * 86_400_000 >= month.periodStart.getTime() ? 3 : 2);
    expect(listed.get(team.id)?.unpricedCalls).toBe(2);
    expect(listed.get(otherTeam.id)?.unpricedCalls).toBe(1);
    expect(listed.get(everyone.id)?.unpricedCalls).toBe(everyoneToday._sum.unpricedCalls);
    expect(everyoneToday._sum.unpricedCalls).toBeGreaterThanOrEqual(3);
    // One budget's view says the same, and so does an agent's budget tab.
    expect((await getBudget(org.admin, agentDay.id)).unpricedCalls).toBe(2);
    const covering = await budgetsCoveringAgent(org.admin, { id: theirs.id, teamId: org.other.id });
    expect(covering.find((b) => b.id === otherTeam.id)?.unpricedCalls).toBe(1);
  });

  it("shows spent, reserved, remaining and % used; archiving stops counting and reserving", async () => {
    const { org, mine } = await setup();
    await addPermissionRule(org.admin, {}, mine.id, { effect: "allow", action: "model:use", resource: "*" });
    const b = await createBudget(
      org.admin,
      {},
      { name: "daily", scope: "agent", agentId: mine.id, period: "day", limitUsd: 10 },
    );
    await ingestUsage(mine.id, {
      events: [
        { id: "e1", timestamp: new Date().toISOString(), model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd: 4 },
      ],
    });
    await authorizeAction(mine.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1.5 });
    const [view] = (await budgetsCoveringAgent(org.admin, { id: mine.id, teamId: org.team.id })).filter(
      (x) => x.id === b.id,
    );
    expect(view).toMatchObject({
      spentMicros: 4_000_000n,
      reservedMicros: 1_500_000n,
      remainingMicros: 4_500_000n,
      percentUsed: 40,
      canManage: true,
    });
    expect(view.resetsAt.getTime() - view.periodStart.getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);

    await archiveBudget(org.admin, {}, b.id, { reason: "replaced" });
    expect(await db().auditEvent.findFirst({ where: { action: "budget.archived", targetId: b.id } })).toMatchObject({
      reason: "replaced",
    });
    await expect(updateBudget(org.admin, {}, b.id, { limitUsd: 1 })).rejects.toMatchObject({ kind: "conflict" });
    const d = await authorizeAction(mine.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 100 });
    expect(d.decision).toBe("allow");
    expect((await listBudgets(org.admin, { archived: "true" })).items.map((x) => x.id)).toContain(b.id);
  });

  it("starts periods at midnight in the organisation time zone", async () => {
    const { org, mine } = await setup();
    const b = await createBudget(
      org.admin,
      {},
      { name: "tz", scope: "agent", agentId: mine.id, period: "day", limitUsd: 10 },
    );
    // Changed on the 20th: by the 25th the periods are Tokyo's.
    await updateOrgSettings(org.admin, {}, { timeZone: "Asia/Tokyo" }, new Date("2026-11-20T00:00:00Z"));
    try {
      const at = new Date("2026-11-25T16:00:00Z"); // already the 26th in Tokyo
      const [view] = (await listBudgets(org.admin, { agentId: mine.id }, at)).items.filter((x) => x.id === b.id);
      expect(view.periodStart.toISOString()).toBe("2026-11-25T15:00:00.000Z");
      expect(view.resetsAt.toISOString()).toBe("2026-11-26T15:00:00.000Z");
      await expect(updateOrgSettings(org.admin, {}, { timeZone: "Mars/Olympus_Mons" })).rejects.toBeInstanceOf(
        ZodError,
      );
      await expect(updateOrgSettings(org.lead, {}, { timeZone: "UTC" })).rejects.toMatchObject({ kind: "forbidden" });
    } finally {
      await resetTimeZone(org.admin);
    }
  });

  it("refuses a change of zone past 12 while the periods cut before them still run: 409, nothing changed", async () => {
    const { org } = await setup();
    const zones = ["Asia/Tokyo", "Europe/Paris"];
    const at = (i: number) => new Date(Date.now() + i * 60_000);
    try {
      for (let i = 0; i < 12; i++) await updateOrgSettings(org.admin, {}, { timeZone: zones[i % 2] }, at(i));
      const audited = await db().auditEvent.count({ where: { action: "settings.updated" } });
      // The message says when the periods cut before those changes have all ended (a month's, two on at most).
      const refused = updateOrgSettings(org.admin, {}, { timeZone: "UTC" }, at(12));
      await expect(refused).rejects.toMatchObject({ kind: "conflict", code: "zone_changes_pending" });
      const after = Date.parse(/after (\S+)\.$/.exec(((await refused.catch((e) => e)) as Error).message)![1]);
      expect(after).toBeGreaterThan(at(12).getTime() + 28 * 86_400_000);
      expect(after).toBeLessThan(at(12).getTime() + 93 * 86_400_000);
      expect((await db().orgSettings.findUniqueOrThrow({ where: { id: 1 } })).timeZone).toBe("Europe/Paris");
      expect(await db().auditEvent.count({ where: { action: "settings.updated" } })).toBe(audited);
    } finally {
      await resetTimeZone(org.admin);
    }
  });

  it("pages every budget exactly once with a cursor, in any sort; a forged cursor is refused", async () => {
    const { org, mine } = await setup();
    const names = Array.from({ length: 7 }, (_, i) => `page-${org.tag}-${i}`);
    for (const [i, name] of names.entries())
      await createBudget(org.admin, {}, { name, scope: "agent", agentId: mine.id, period: "day", limitUsd: 10 + i });
    for (const sort of [undefined, "limit", "name"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await listBudgets(org.admin, { agentId: mine.id, limit: 3, cursor, sort, dir: "desc" });
        expect(res.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.items.map((b) => b.name));
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      expect(seen.sort()).toEqual([...names].sort());
    }
    const byLimit = await listBudgets(org.admin, { agentId: mine.id, limit: 3, sort: "limit", dir: "desc" });
    expect(byLimit.items.map((b) => b.name)).toEqual([names[6], names[5], names[4]]);
    for (const cursor of ["not-a-cursor", Buffer.from(JSON.stringify({ offset: 1 })).toString("base64url")])
      await expect(listBudgets(org.admin, { cursor })).rejects.toMatchObject({ kind: "validation" });
  });
});
