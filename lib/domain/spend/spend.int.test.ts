import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { breakdownCsv, breakdownView, seriesView } from "@/lib/http/spend-views";
import { agentInput, makeOrg, priceModel, resetTimeZone } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { updateAgent } from "../agents/update-agent";
import { createBudget } from "../budgets/create-budget";
import { updateOrgSettings } from "../settings/update-org-settings";
import { ingestUsage } from "../usage/ingest-usage";
import { budgetBurn } from "./budget-burn";
import { spendBreakdown, spendSeries } from "./queries";

const HOUR = 3_600_000;

describe("spend analytics", () => {
  it("the chart's totals equal the sum of the raw usage events in the range, per group and overall", async () => {
    const org = await makeOrg();
    await priceModel(org.admin, "m-priced", [3, 0.3, 15], new Date("2020-01-01"), "test");
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-a-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.other.id, `sp-b-${org.tag}`));
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const start = new Date(end.getTime() - 10 * 24 * HOUR);
    // 400 events over 12 days (some outside the range), two agents, priced, reported-cost and unpriced models, tools.
    for (const [agent, seed] of [
      [a, 1],
      [b, 2],
    ] as const) {
      const events = Array.from({ length: 200 }, (_, i) => ({
        id: `e${seed}-${i}`,
        timestamp: new Date(end.getTime() - ((i * 7919 * seed) % (12 * 24 * 60)) * 60_000 - 1000).toISOString(),
        model: ["m-priced", "m-unpriced", "m-reported"][i % 3],
        inputTokens: 1000 + i * 13,
        cachedInputTokens: i % 5 === 0 ? 200 : 0,
        outputTokens: 100 + i,
        costUsd: i % 3 === 2 ? 0.0123 * (1 + (i % 7)) : undefined,
        tool: i % 4 === 0 ? "github.search" : undefined,
        status: i % 10 === 0 ? ("error" as const) : ("ok" as const),
      }));
      await ingestUsage(agent.id, { events }, {}, { trustedBackfill: true }); // 12 days of history: past the late-arrival window
    }
    const raw = await db().usageEvent.aggregate({
      where: { agentId: { in: [a.id, b.id] }, timestamp: { gte: start, lt: end } },
      _sum: { costMicros: true, inputTokens: true, outputTokens: true, cachedInputTokens: true },
      _count: true,
    });
    const rawUnpriced = await db().usageEvent.count({
      where: { agentId: { in: [a.id, b.id] }, timestamp: { gte: start, lt: end }, unpriced: true },
    });
    const rawErrors = await db().usageEvent.count({
      where: { agentId: { in: [a.id, b.id] }, timestamp: { gte: start, lt: end }, status: "error" },
    });

    // This is the file's first test on a fresh database: these two agents hold all the usage there is.
    for (const bucket of ["hour", "day", "week"] as const) {
      for (const groupBy of ["agent", "team", "model", "tool"] as const) {
        const s = await spendSeries(org.admin, { from: start, to: end, bucket, groupBy });
        const pointSum = s.points.reduce(
          (sum, p) => sum + Object.values(p.values).reduce((x: bigint, y) => x + (y ?? 0n), 0n),
          0n,
        );
        expect(pointSum, `${bucket}/${groupBy}`).toBe(raw._sum.costMicros);
        expect(s.totals).toMatchObject({
          costMicros: raw._sum.costMicros,
          calls: BigInt(raw._count),
          unpricedCalls: BigInt(rawUnpriced),
          errors: BigInt(rawErrors),
          inputTokens: BigInt(raw._sum.inputTokens!),
          outputTokens: BigInt(raw._sum.outputTokens!),
        });
        const table = await spendBreakdown(org.admin, { from: start, to: end, groupBy });
        expect(table.rows.reduce((sum, r) => sum + (r.costMicros ?? 0n), 0n)).toBe(raw._sum.costMicros);
      }
    }
    // Unpriced usage is counted as calls, never as cost.
    expect(rawUnpriced).toBeGreaterThan(0);
  });

  it("scopes a team lead to their teams, compares with the previous period, and validates the query", async () => {
    const org = await makeOrg();
    const mine = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-mine-${org.tag}`));
    const theirs = await registerAgent(org.admin, {}, agentInput(org.other.id, `sp-theirs-${org.tag}`));
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const ev = (id: string, hoursAgo: number, usd: number) => ({
      id,
      timestamp: new Date(end.getTime() - hoursAgo * HOUR + 60_000).toISOString(),
      model: "x",
      inputTokens: 1,
      outputTokens: 1,
      costUsd: usd,
    });
    await ingestUsage(mine.id, { events: [ev("1", 10, 2), ev("2", 30, 1)] });
    await ingestUsage(theirs.id, { events: [ev("1", 10, 5)] });
    const from = new Date(end.getTime() - 24 * HOUR);
    const lead = await spendSeries(org.lead, { from, to: end, bucket: "hour", groupBy: "agent" });
    expect(lead.series.map((s) => s.label)).toEqual([mine.slug]);
    expect(lead.totals.costMicros).toBe(2_000_000n);
    const table = await spendBreakdown(org.lead, { from, to: end, groupBy: "agent" });
    expect(table.rows).toEqual([
      expect.objectContaining({
        key: mine.id,
        costMicros: 2_000_000n,
        previousCostMicros: 1_000_000n,
        changePercent: 100,
      }),
    ]);
    // Filters cannot widen the scope.
    expect((await spendSeries(org.lead, { from, to: end, bucket: "day", agentId: theirs.id })).totals.costMicros).toBe(
      0n,
    );

    await expect(spendSeries(org.admin, { from, to: end } as never)).rejects.toBeInstanceOf(ZodError);
    await expect(spendSeries(org.admin, { from: end, to: from, bucket: "day" })).rejects.toThrow(/must be after from/);
    await expect(
      spendSeries(org.admin, { from: new Date(end.getTime() - 60 * 24 * HOUR), to: end, bucket: "hour" }),
    ).rejects.toThrow(/at most 31 days/);
  });

  it("forecasts each budget's burn to the period end", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-burn-${org.tag}`));
    const now = new Date();
    const events = Array.from({ length: 20 }, (_, i) => ({
      id: `b${i}`,
      timestamp: new Date(now.getTime() - (i + 1) * 24 * HOUR).toISOString(),
      model: "x",
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 10,
    }));
    await ingestUsage(agent.id, { events }, {}, { trustedBackfill: true }); // 20 days of history
    await createBudget(
      org.admin,
      {},
      { name: "weekly", scope: "agent", agentId: agent.id, period: "week", limitUsd: 1000 },
    );
    await createBudget(
      org.admin,
      {},
      { name: "tight", scope: "agent", agentId: agent.id, period: "month", limitUsd: 5 },
    );
    const burn = await budgetBurn(org.admin, now);
    const weekly = burn.find((x) => x.budget.name === "weekly")!;
    expect(weekly.forecast.dailyRateMicros).toBeCloseTo(10_000_000, -3);
    expect(weekly.forecast.exceedsAt).toBeNull();
    expect(weekly.forecast.projectedMicros).toBeGreaterThanOrEqual(Number(weekly.budget.spentMicros));
    const tight = burn.find((x) => x.budget.name === "tight")!;
    expect(tight.forecast.alreadyExceeded || tight.forecast.exceedsAt !== null).toBe(true);
  });
  it("after a change of zone the burn follows each budget's own period: all it spent, no forecast past its reset", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-zone-${org.tag}`));
    for (const period of ["day", "month"] as const)
      await createBudget(org.admin, {}, { name: period, scope: "agent", agentId: agent.id, period, limitUsd: 100 });
    const at = (iso: string) => new Date(iso);
    const event = { id: "z1", timestamp: "2026-10-01T02:00:00.000Z", model: "gpt-5", inputTokens: 1, outputTokens: 1 };
    await ingestUsage(agent.id, { events: [{ ...event, costUsd: 5 }] }, {}, { now: at("2026-10-01T02:00:00Z") });
    try {
      // Tokyo's 1 October began at 15:00 UTC on the 30th: the UTC day and month running at the change go on.
      await updateOrgSettings(org.admin, {}, { timeZone: "Asia/Tokyo" }, at("2026-10-01T05:00:00Z"));
      const burn = await budgetBurn(org.admin, at("2026-10-01T06:00:00Z"));
      for (const period of ["day", "month"]) {
        const b = burn.find((x) => x.budget.agentId === agent.id && x.budget.name === period)!;
        expect(b.budget.periodStart.toISOString()).toBe("2026-10-01T00:00:00.000Z");
        expect(b.actual.at(-1)?.micros).toBe(5_000_000);
        expect(b.forecast.path.at(-1)?.at.getTime()).toBeLessThanOrEqual(b.budget.resetsAt.getTime());
      }
    } finally {
      await resetTimeZone(org.admin);
    }
  });
  it("unpriced usage is never $0: a bucket or group with only unpriced calls has no cost and says how many", async () => {
    const org = await makeOrg();
    await priceModel(org.admin, `priced-${org.tag}`, [1, 0.1, 2], new Date("2020-01-01"), "test");
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-unp-${org.tag}`));
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const unpricedModel = `=HYPERLINK("http://evil.example","${org.tag}")`;
    const ev = (id: string, hoursAgo: number, model: string) => ({
      id,
      timestamp: new Date(end.getTime() - hoursAgo * HOUR + 60_000).toISOString(),
      model,
      inputTokens: 1_000_000,
      outputTokens: 0,
    });
    // hour -3: only unpriced calls; hour -2: priced and unpriced; hour -1: priced only
    await ingestUsage(agent.id, {
      events: [
        ev("u1", 3, unpricedModel),
        ev("u2", 3, unpricedModel),
        ev("m1", 2, `priced-${org.tag}`),
        ev("m2", 2, unpricedModel),
        ev("p1", 1, `priced-${org.tag}`),
      ],
    });
    const q = { from: new Date(end.getTime() - 4 * HOUR), to: end, teamId: org.team.id };

    const byModel = await spendSeries(org.admin, { ...q, bucket: "hour", groupBy: "model" });
    expect(byModel.totals).toMatchObject({ costMicros: 2_000_000n, calls: 5n, unpricedCalls: 3n });
    expect(byModel.series.find((x) => x.key === unpricedModel)).toMatchObject({
      costMicros: null,
      calls: 3n,
      unpricedCalls: 3n,
    });
    expect(byModel.series.find((x) => x.key === `priced-${org.tag}`)).toMatchObject({
      costMicros: 2_000_000n,
      unpricedCalls: 0n,
    });
    const at = (hoursAgo: number) => byModel.points.find((p) => p.t.getTime() === end.getTime() - hoursAgo * HOUR)!;
    expect(at(3)).toMatchObject({ values: { [unpricedModel]: null }, unpricedCalls: 2n });
    expect(at(2)).toMatchObject({
      values: { [unpricedModel]: null, [`priced-${org.tag}`]: 1_000_000n },
      unpricedCalls: 1n,
    });
    expect(at(4)).toMatchObject({ values: {}, unpricedCalls: 0n });

    // one agent stacked per hour: the only-unpriced hour has no cost, the mixed hour the priced part
    const byAgent = await spendSeries(org.admin, { ...q, bucket: "hour", groupBy: "agent" });
    expect(byAgent.points.find((p) => p.t.getTime() === end.getTime() - 3 * HOUR)!.values).toEqual({
      [agent.id]: null,
    });
    expect(byAgent.points.find((p) => p.t.getTime() === end.getTime() - 2 * HOUR)!.values).toEqual({
      [agent.id]: 1_000_000n,
    });
    const onlyUnpriced = seriesView(
      await spendSeries(org.admin, {
        from: new Date(end.getTime() - 4 * HOUR),
        to: new Date(end.getTime() - 2 * HOUR),
        teamId: org.team.id,
        bucket: "hour",
        groupBy: "agent",
      }),
    );
    expect(onlyUnpriced.totals).toMatchObject({ costUsd: null, calls: 2, unpricedCalls: 2 });
    expect(onlyUnpriced.series).toEqual([expect.objectContaining({ key: agent.id, costUsd: null, unpricedCalls: 2 })]);

    const table = breakdownView(await spendBreakdown(org.admin, { ...q, groupBy: "model" }));
    expect(table.rows).toEqual([
      expect.objectContaining({ key: `priced-${org.tag}`, costUsd: 2, unpricedCalls: 0 }),
      expect.objectContaining({
        key: unpricedModel,
        costUsd: null,
        previousCostUsd: 0,
        changePercent: null,
        calls: 3,
        unpricedCalls: 3,
      }),
    ]);
    const agentRow = breakdownView(await spendBreakdown(org.admin, { ...q, groupBy: "agent" })).rows;
    expect(agentRow).toEqual([expect.objectContaining({ key: agent.id, costUsd: 2, calls: 5, unpricedCalls: 3 })]);

    const csv = parse(breakdownCsv(table), { columns: true }) as Record<string, string>[];
    const unpricedRow = csv.find((r) => r.id === `'${unpricedModel}`)!;
    expect(unpricedRow).toMatchObject({ model: `'${unpricedModel}`, cost_usd: "", unpriced_calls: "3", calls: "3" });
    expect(csv.find((r) => r.id === `priced-${org.tag}`)).toMatchObject({ cost_usd: "2.000000", unpriced_calls: "0" });
  });

  it("daily rollups give the same days as the raw events in any time zone, across a time-zone change and concurrent ingestion", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-tz-a-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.other.id, `sp-tz-b-${org.tag}`));
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const batch = (prefix: string, n: number, spanHours: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `${prefix}-${i}`,
        timestamp: new Date(end.getTime() - ((i * 7919) % (spanHours * 60)) * 60_000 - 1000).toISOString(),
        model: ["m1", "m2"][i % 2],
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0.001 * (1 + (i % 13)),
        tool: i % 3 === 0 ? "t" : undefined,
      }));
    // The day an hour belongs to, computed apart from SQL: the local calendar date its start falls on.
    const localDate = (t: Date, timeZone: string) =>
      new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(t);
    const check = async (timeZone: string) => {
      const raw = await db().usageEvent.findMany({
        where: { agentId: { in: [a.id, b.id] } },
        select: { agentId: true, timestamp: true, costMicros: true },
      });
      // Edges inside a day on both sides, so the range mixes hourly and daily rollups.
      const from = new Date(end.getTime() - 9 * 24 * HOUR - 7 * HOUR);
      const to = new Date(end.getTime() - 5 * HOUR);
      const expected = new Map<string, bigint>();
      for (const e of raw) {
        const hour = new Date(Math.floor(e.timestamp.getTime() / HOUR) * HOUR);
        if (hour < from || hour >= to) continue;
        const key = `${localDate(hour, timeZone)}|${e.agentId}`;
        expected.set(key, (expected.get(key) ?? 0n) + (e.costMicros ?? 0n));
      }
      const got = new Map<string, bigint>();
      for (const agent of [a, b]) {
        const s = await spendSeries(org.admin, { from, to, bucket: "day", groupBy: "agent", agentId: agent.id });
        expect(s.timeZone).toBe(timeZone);
        for (const p of s.points)
          for (const [agentId, v] of Object.entries(p.values))
            if (v) got.set(`${localDate(p.t, timeZone)}|${agentId}`, v);
        const own = [...expected].filter(([k]) => k.endsWith(agent.id)).reduce((x, [, v]) => x + v, 0n);
        expect(s.totals.costMicros).toBe(own);
        const table = await spendBreakdown(org.admin, { from, to, groupBy: "agent", agentId: agent.id });
        expect(table.rows.reduce((x, r) => x + (r.costMicros ?? 0n), 0n)).toBe(own);
      }
      expect(got, timeZone).toEqual(expected);
      // The daily rollups are exactly the hourly ones summed by local day.
      const [diff] = await db().$queryRaw<{ n: bigint }[]>`
        SELECT count(*)::bigint AS n FROM (
          (SELECT "agentId", "teamId", day, model, tool, calls, "costMicros" FROM usage_rollups_daily
           EXCEPT SELECT "agentId", "teamId", date_trunc('day', hour AT TIME ZONE 'UTC', ${timeZone}) AT TIME ZONE 'UTC', model, tool,
             SUM(calls)::bigint, SUM("costMicros")::bigint FROM usage_rollups_hourly GROUP BY 1, 2, 3, 4, 5)
          UNION ALL
          (SELECT "agentId", "teamId", date_trunc('day', hour AT TIME ZONE 'UTC', ${timeZone}) AT TIME ZONE 'UTC', model, tool,
             SUM(calls)::bigint, SUM("costMicros")::bigint FROM usage_rollups_hourly GROUP BY 1, 2, 3, 4, 5
           EXCEPT SELECT "agentId", "teamId", day, model, tool, calls, "costMicros" FROM usage_rollups_daily)) d`;
      expect(diff.n, `daily = hourly by day in ${timeZone}`).toBe(0n);
    };
    try {
      await ingestUsage(a.id, { events: batch("a1", 150, 11 * 24) }, {}, { trustedBackfill: true });
      await check("UTC");
      // A half-hour zone: its days start mid-hour.
      await updateOrgSettings(org.admin, {}, { timeZone: "Asia/Kolkata" });
      await check("Asia/Kolkata");
      await ingestUsage(b.id, { events: batch("b1", 150, 11 * 24) }, {}, { trustedBackfill: true });
      await check("Asia/Kolkata");
      // Batches racing two time-zone changes: whichever order they commit in, the days are the final zone's.
      await Promise.all([
        ...Array.from({ length: 6 }, (_, i) =>
          ingestUsage(i % 2 ? a.id : b.id, { events: batch(`r${i}`, 40, 10 * 24) }, {}, { trustedBackfill: true }),
        ),
        updateOrgSettings(org.admin, {}, { timeZone: "America/New_York" }),
        updateOrgSettings(org.admin, {}, { timeZone: "Pacific/Chatham" }),
      ]);
      const zone = (await db().orgSettings.findUniqueOrThrow({ where: { id: 1 } })).timeZone;
      await check(zone);
    } finally {
      await updateOrgSettings(org.admin, {}, { timeZone: "UTC" });
    }
  });

  it("an agent that moves team mid-hour: its daily rollups stay its hourly ones summed by day", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `sp-move-${org.tag}`));
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR);
    const ev = (id: string, at: Date) => ({
      id,
      timestamp: new Date(at.getTime() + 60_000).toISOString(),
      model: "m",
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 1,
    });
    await ingestUsage(agent.id, { events: [ev("before", hour)] });
    await updateAgent(org.admin, {}, agent.id, { teamId: org.other.id });
    await ingestUsage(agent.id, { events: [ev("same-hour", hour), ev("next-hour", new Date(hour.getTime() + HOUR))] });
    const sums = async (table: "usage_rollups_hourly" | "usage_rollups_daily") =>
      (
        await db().$queryRawUnsafe<{ teamId: string; cost: bigint }[]>(
          `SELECT "teamId", SUM("costMicros")::bigint AS cost FROM ${table} WHERE "agentId" = $1 GROUP BY 1`,
          agent.id,
        )
      )
        .map((r) => [r.teamId, r.cost])
        .sort((x, y) => (x[0] < y[0] ? -1 : 1));
    // The hour that began in the old team stays there, in both.
    expect(await sums("usage_rollups_daily")).toEqual(await sums("usage_rollups_hourly"));
    expect(await sums("usage_rollups_hourly")).toEqual(
      [
        [org.team.id, 2_000_000n],
        [org.other.id, 1_000_000n],
      ].sort((x, y) => (x[0] < y[0] ? -1 : 1)),
    );
  });
});
