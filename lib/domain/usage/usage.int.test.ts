import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg, priceModel } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createBudget } from "../budgets/create-budget";
import { ingestUsage } from "./ingest-usage";

// Fixtures dated months back are history, written as the seed writes it (outside the window the API enforces).
const history = { trustedBackfill: true };

describe("usage ingestion", () => {
  it("prices events, flags unpriced ones, counts duplicates once even when batches race, and keeps rollups equal to raw events", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `u-${org.tag}`));
    const model = `test-model-${org.tag}`;
    await priceModel(org.admin, model, [2, 0.5, 8], new Date("2025-01-01"), "openai");
    await priceModel(org.admin, model, [1, 0.25, 4], new Date("2026-01-01"), "openai");
    const events = [
      // old price: 1000 × $2 + 1000 × $8 per MTok = $0.010
      { id: "e1", timestamp: "2025-06-01T10:15:00Z", model, inputTokens: 1000, outputTokens: 1000 },
      // new price: 600 × $1 + 400 × $0.25 + 1000 × $4 per MTok = $0.0047
      {
        id: "e2",
        timestamp: "2026-02-01T10:20:00Z",
        model,
        inputTokens: 1000,
        cachedInputTokens: 400,
        outputTokens: 1000,
        tool: "github.search",
      },
      {
        id: "e3",
        timestamp: "2026-02-01T10:40:00Z",
        model: "no-price-model",
        inputTokens: 10,
        outputTokens: 10,
        status: "error" as const,
      },
      { id: "e4", timestamp: "2026-02-01T11:00:00Z", model, inputTokens: 1, outputTokens: 1, costUsd: 0.5 },
      // reported under its price (an agent slipping under its budgets): 1,000,000 × $1 per MTok = $1 is charged
      { id: "e5", timestamp: "2026-02-01T11:05:00Z", model, inputTokens: 1_000_000, outputTokens: 0, costUsd: 0 },
      // no price: the reported cost is all there is
      {
        id: "e6",
        timestamp: "2026-02-01T11:10:00Z",
        model: "no-price-model",
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0.25,
      },
      // a provider the model has no price for, and a token cost reported: the model's price is still the floor
      {
        id: "e8",
        timestamp: "2026-02-01T11:20:00Z",
        model,
        provider: "some-other-cloud",
        inputTokens: 1_000_000,
        outputTokens: 0,
        costUsd: 0.000001,
      },
      // a provider the model has no price for and no cost reported: the model's price under another provider is
      // charged (not unpriced usage, which a budget would charge $0 without a live decision)
      {
        id: "e9",
        timestamp: "2026-02-01T11:25:00Z",
        model,
        provider: "made-up-cloud",
        inputTokens: 2_000_000,
        outputTokens: 0,
      },
      // no price, and $0 reported for its tokens: unpriced, not a silent $0
      {
        id: "e7",
        timestamp: "2026-02-01T11:15:00Z",
        model: "no-price-model",
        inputTokens: 9,
        outputTokens: 9,
        costUsd: 0,
      },
    ];
    const [a, b] = await Promise.all([
      ingestUsage(agent.id, { events }, {}, history),
      ingestUsage(agent.id, { events }, {}, history),
    ]);
    expect(a.accepted + b.accepted).toBe(9);
    expect(a.duplicates + b.duplicates).toBe(9);
    const again = await ingestUsage(agent.id, { events: events.slice(0, 2) }, {}, history);
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, costUsd: 0 });

    const rows = await db().usageEvent.findMany({ where: { agentId: agent.id }, orderBy: { eventId: "asc" } });
    expect(rows.map((r) => [r.eventId, r.costMicros, r.unpriced])).toEqual([
      ["e1", 10_000n, false],
      ["e2", 4_700n, false],
      ["e3", null, true],
      ["e4", 500_000n, false],
      ["e5", 1_000_000n, false],
      ["e6", 250_000n, false],
      ["e7", null, true],
      ["e8", 1_000_000n, false],
      ["e9", 2_000_000n, false],
    ]);
    expect(rows[8]).toMatchObject({ provider: "made-up-cloud", computedCostMicros: null, reportedCostMicros: null });
    expect(rows[4]).toMatchObject({ computedCostMicros: 1_000_000n, reportedCostMicros: 0n });
    expect(rows[3].computedCostMicros).toBe(5n); // 1 × $1 + 1 × $4 per MTok = 5 µ$, kept beside the reported cost

    const rollups = await db().usageRollupHourly.findMany({ where: { agentId: agent.id } });
    const sum = (k: "costMicros" | "inputTokens") => rollups.reduce((s, r) => s + r[k], 0n);
    expect(sum("costMicros")).toBe(rows.reduce((s, r) => s + (r.costMicros ?? 0n), 0n));
    expect(sum("inputTokens")).toBe(BigInt(rows.reduce((s, r) => s + r.inputTokens, 0)));
    expect(rollups.reduce((s, r) => s + r.calls, 0)).toBe(9);
    expect(rollups.reduce((s, r) => s + r.unpricedCalls, 0)).toBe(2);
    expect(rollups.reduce((s, r) => s + r.errors, 0)).toBe(1);
  });

  it("rejects a whole batch when one event is invalid", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `bad-${org.tag}`));
    await expect(
      ingestUsage(
        agent.id,
        {
          events: [
            { id: "ok", timestamp: "2026-02-01T10:00:00Z", model: "m", inputTokens: 1, outputTokens: 1 },
            {
              id: "bad",
              timestamp: "2026-02-01T10:00:00Z",
              model: "m",
              inputTokens: 1,
              cachedInputTokens: 5,
              outputTokens: 1,
            },
          ],
        },
        {},
        history,
      ),
    ).rejects.toThrow();
    expect(await db().usageEvent.count({ where: { agentId: agent.id } })).toBe(0);
  });

  it("records when each batch arrived: one time for the batch, another for the next; timestamps checked against its clock", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `arr-${org.tag}`));
    const use = (id: string, at: Date) => ({
      id,
      timestamp: at.toISOString(),
      model: "m",
      inputTokens: 1,
      outputTokens: 1,
    });
    const before = Date.now();
    await ingestUsage(agent.id, { events: [use("a", new Date()), use("b", new Date())] });
    await new Promise((r) => setTimeout(r, 5));
    await ingestUsage(agent.id, { events: [use("c", new Date())] });
    const after = Date.now();
    const at = new Map(
      (await db().usageEvent.findMany({ where: { agentId: agent.id } })).map((r) => [
        r.eventId,
        r.receivedAt.getTime(),
      ]),
    );
    expect(at.get("a")).toBe(at.get("b"));
    expect(at.get("c")).toBeGreaterThan(at.get("a")!);
    for (const t of at.values()) expect(t >= before - 1000 && t <= after + 1000).toBe(true);
    // A timestamp is checked against the batch's clock: five minutes ahead of it and a second more is refused.
    const clock = new Date(Date.now() - 60_000);
    await expect(
      ingestUsage(agent.id, { events: [use("d", new Date(clock.getTime() + 301_000))] }, {}, { now: clock }),
    ).rejects.toMatchObject({ kind: "validation" });
  });
});

describe("concurrent ingestion for one agent", () => {
  it("batches touching the same hours in different orders all commit (no deadlock), and rollups equal the raw events", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `conc-${org.tag}`));
    await createBudget(
      org.admin,
      {},
      { name: "b", scope: "agent", agentId: agent.id, period: "month", limitUsd: 1000, hardAction: "notify" },
    );
    const base = Date.now() - 12 * 3_600_000;
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 60 }, (_, i) => {
        const hour = b % 2 ? i % 12 : 11 - (i % 12); // half the batches walk the hours backwards
        return {
          id: `c${b}-${i}`,
          timestamp: new Date(base + hour * 3_600_000 + 1000).toISOString(),
          model: ["m1", "m2"][i % 2],
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 0.01,
          tool: i % 3 ? "t" : undefined,
        };
      }),
    );
    const results = await Promise.all(batches.map((events) => ingestUsage(agent.id, { events })));
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(480);
    const rollup = await db().usageRollupHourly.aggregate({
      where: { agentId: agent.id },
      _sum: { calls: true, costMicros: true },
    });
    expect(rollup._sum).toEqual({ calls: 480, costMicros: 4_800_000n });
  });
});

describe("usage and its agent (no foreign key: ingestion locks the agent once per batch)", () => {
  it("deleting an agent deletes its usage, and a batch waiting on a deletion in progress writes nothing", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `gone-${org.tag}`));
    const event = (id: string) => ({
      id,
      timestamp: new Date().toISOString(),
      model: "m",
      inputTokens: 1,
      outputTokens: 1,
    });
    await ingestUsage(agent.id, { events: [event("before")] });
    expect(await db().usageEvent.count({ where: { agentId: agent.id } })).toBe(1);

    // The agent is deleted in a transaction that stays open while a batch for it arrives: the batch waits for the
    // deletion (on PostgreSQL, on the agent's row; the embedded database runs one transaction at a time), then finds
    // no agent, and writes nothing.
    let during: Promise<unknown> = Promise.resolve();
    await db().$transaction(async (tx) => {
      await tx.$executeRaw`DELETE FROM agents WHERE id = ${agent.id}`;
      during = ingestUsage(agent.id, { events: [event("during")] });
      during.catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
    });
    await expect(during).rejects.toMatchObject({ code: "not_found" });
    expect(await db().usageEvent.count({ where: { agentId: agent.id } })).toBe(0);
    await expect(ingestUsage(agent.id, { events: [event("after")] })).rejects.toMatchObject({ code: "not_found" });

    // A snapshot older than the delete could miss a batch committed while the delete waited: refused, not orphaned.
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `gone2-${org.tag}`));
    await expect(
      db().$transaction(async (tx) => {
        await tx.$executeRaw`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`;
        await tx.$executeRaw`DELETE FROM agents WHERE id = ${other.id}`;
      }),
    ).rejects.toThrow(/READ COMMITTED/);
    expect(await db().agent.count({ where: { id: other.id } })).toBe(1);
  });
});
