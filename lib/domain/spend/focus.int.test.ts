import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { toCsv } from "@/lib/http/csv";
import { agentInput, makeOrg, priceModel } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { ingestUsage } from "../usage/ingest-usage";
import { FOCUS_COLUMNS, type FocusQuery, focusExport, microsToDecimal } from "./focus";

/** Every row of an export at once. */
async function focusRows(actor: Parameters<typeof focusExport>[0], q: FocusQuery) {
  const rows: unknown[][] = [];
  for await (const chunk of focusExport(actor, q).chunks) rows.push(...chunk);
  return { rows };
}

const HOUR = 3_600_000;
const decimalToMicros = (s: string) => {
  const [whole, frac] = s.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(frac);
};

describe("FOCUS 1.3 export", () => {
  it("sums to the raw usage of the range per agent, in FOCUS columns, and a lead sees only their teams", async () => {
    const org = await makeOrg();
    const priced = `m-focus-${org.tag}`;
    await priceModel(org.admin, priced, [3, 0.3, 15], new Date("2020-01-01"), "acme");
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `focus-a-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.other.id, `focus-b-${org.tag}`));
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const start = new Date(end.getTime() - 5 * 24 * HOUR);
    for (const [agent, seed] of [
      [a, 1],
      [b, 3],
    ] as const) {
      const events = Array.from({ length: 150 }, (_, i) => ({
        id: `f${seed}-${i}`,
        // Over six days: some before the range, none after it.
        timestamp: new Date(end.getTime() - ((i * 7919 * seed) % (6 * 24 * 60)) * 60_000 - 1000).toISOString(),
        model: [priced, `m-unpriced-${org.tag}`, `vendor/m-reported-${org.tag}`][i % 3],
        inputTokens: 1000 + i * 17,
        cachedInputTokens: i % 4 === 0 ? 300 : 0,
        outputTokens: 50 + i,
        costUsd: i % 3 === 2 ? 0.0042 * (1 + (i % 5)) : undefined,
      }));
      await ingestUsage(agent.id, { events }, {}, { trustedBackfill: true });
    }

    const { rows } = await focusRows(org.admin, { from: start, to: end });
    const csv = toCsv(rows, FOCUS_COLUMNS);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0])).toEqual([...FOCUS_COLUMNS]);

    for (const agent of [a, b]) {
      const mine = records.filter((r) => r.x_AgentId === agent.id);
      const raw = await db().usageEvent.aggregate({
        where: { agentId: agent.id, timestamp: { gte: start, lt: end } },
        _sum: { costMicros: true, inputTokens: true, outputTokens: true, cachedInputTokens: true },
        _count: true,
      });
      const unpriced = await db().usageEvent.count({
        where: { agentId: agent.id, timestamp: { gte: start, lt: end }, unpriced: true },
      });
      expect(mine.reduce((s, r) => s + decimalToMicros(r.BilledCost), 0n)).toBe(raw._sum.costMicros);
      expect(mine.reduce((s, r) => s + BigInt(r.ConsumedQuantity), 0n)).toBe(
        BigInt(raw._sum.inputTokens ?? 0) + BigInt(raw._sum.outputTokens ?? 0),
      );
      expect(mine.reduce((s, r) => s + BigInt(r.x_CachedInputTokens), 0n)).toBe(
        BigInt(raw._sum.cachedInputTokens ?? 0),
      );
      expect(mine.reduce((s, r) => s + Number(r.x_Calls), 0)).toBe(raw._count);
      expect(mine.reduce((s, r) => s + Number(r.x_UnpricedCalls), 0)).toBe(unpriced);
      expect(unpriced).toBeGreaterThan(0);
      for (const r of mine) {
        expect(r.BilledCost).toMatch(/^\d+\.\d{6}$/);
        expect(r.EffectiveCost).toBe(r.BilledCost);
        expect(r.ListCost).toBe(r.BilledCost);
        expect(r).toMatchObject({
          BillingCurrency: "USD",
          ChargeCategory: "Usage",
          ChargeClass: "",
          ConsumedUnit: "Tokens",
        });
        expect(r.ChargePeriodStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
        const [s, e] = [Date.parse(r.ChargePeriodStart), Date.parse(r.ChargePeriodEnd)];
        expect(s).toBeGreaterThanOrEqual(start.getTime());
        expect(e).toBeLessThanOrEqual(end.getTime());
        expect(e - s).toBeGreaterThan(0);
        expect(e - s).toBeLessThanOrEqual(25 * HOUR); // one local day at most (25 hours when clocks go back)
        expect(Date.parse(r.BillingPeriodStart)).toBeLessThanOrEqual(s);
        expect(Date.parse(r.BillingPeriodEnd)).toBeGreaterThanOrEqual(e);
        expect(JSON.parse(r.Tags)).toEqual({ "acp/agent": agent.slug, "acp/team": expect.any(String) });
        // The provider comes from the price table, or the model's own prefix, else Unknown.
        const provider = r.SkuId === priced ? "acme" : r.SkuId.startsWith("vendor/") ? "vendor" : "Unknown";
        expect(r.ServiceProviderName).toBe(provider);
      }
      // One row per model per local day: never two rows for the same day and model.
      const keys = mine.map((r) => `${r.ChargePeriodStart}|${r.SkuId}`);
      expect(new Set(keys).size).toBe(keys.length);
    }

    // A team lead gets their teams' rows only; a filter narrows further.
    const lead = await focusRows(org.lead, { from: start, to: end });
    const teamCol = FOCUS_COLUMNS.indexOf("x_TeamId");
    expect(lead.rows.length).toBeGreaterThan(0);
    expect(lead.rows.every((r) => r[teamCol] === org.team.id)).toBe(true);
    const onlyB = await focusRows(org.admin, { from: start, to: end, agentId: b.id });
    expect(onlyB.rows.length).toBe(records.filter((r) => r.x_AgentId === b.id).length);
  });

  it("refuses a range that is empty, reversed or longer than 400 days", async () => {
    const org = await makeOrg();
    const t = new Date("2026-06-01T00:00:00Z");
    await expect(focusRows(org.admin, { from: t, to: t })).rejects.toBeInstanceOf(ZodError);
    await expect(focusRows(org.admin, { from: t, to: new Date(t.getTime() + 401 * 24 * HOUR) })).rejects.toBeInstanceOf(
      ZodError,
    );
  });

  it("writes micro-dollars as exact decimals", () => {
    expect(microsToDecimal(0n)).toBe("0.000000");
    expect(microsToDecimal(1_234_567n)).toBe("1.234567");
    expect(microsToDecimal(12n)).toBe("0.000012");
    expect(microsToDecimal(-5_000_001n)).toBe("-5.000001");
  });
});
