import { describe, expect, it } from "vitest";
import { usdToMicros } from "../money";
import { computeCostMicros, type PriceRow, priceInForce } from "./compute-cost";

const price = (
  model: string,
  from: string,
  input: number,
  cached: number,
  output: number,
  provider = "openai",
): PriceRow => ({
  id: `${model}-${from}`,
  provider,
  model,
  inputMicrosPerMTok: usdToMicros(input),
  cachedInputMicrosPerMTok: usdToMicros(cached),
  outputMicrosPerMTok: usdToMicros(output),
  effectiveFrom: new Date(from),
});

describe("cost", () => {
  it("charges cached input at the cached rate, counted inside inputTokens", () => {
    // gpt-5: $1.25 in, $0.125 cached, $10 out per MTok. 1,000,000 input of which 400,000 cached, 100,000 output:
    // 600k × 1.25 + 400k × 0.125 + 100k × 10 = 0.75 + 0.05 + 1.00 = $1.80
    expect(
      computeCostMicros(price("gpt-5", "2025-01-01", 1.25, 0.125, 10), {
        inputTokens: 1_000_000,
        cachedInputTokens: 400_000,
        outputTokens: 100_000,
      }),
    ).toBe(1_800_000n);
  });

  it("rounds once, half up, to whole micro-dollars", () => {
    // 1 token at $0.25/MTok = 0.25 µ$ → 0; 2 tokens = 0.5 µ$ → 1
    const p = price("m", "2025-01-01", 0.25, 0, 0);
    expect(computeCostMicros(p, { inputTokens: 1, outputTokens: 0 })).toBe(0n);
    expect(computeCostMicros(p, { inputTokens: 2, outputTokens: 0 })).toBe(1n);
  });

  it("picks the price in force at the event's time", () => {
    const prices = [
      price("gpt-5", "2025-01-01", 2, 0.2, 8),
      price("gpt-5", "2025-06-01", 1.25, 0.125, 10),
      price("gpt-5-mini", "2025-01-01", 0.25, 0.025, 2),
    ];
    expect(priceInForce(prices, "gpt-5", new Date("2025-03-01"))?.inputMicrosPerMTok).toBe(2_000_000n);
    expect(priceInForce(prices, "gpt-5", new Date("2025-06-01"))?.inputMicrosPerMTok).toBe(1_250_000n);
    expect(priceInForce(prices, "gpt-5", new Date("2024-12-31"))).toBeNull();
    expect(priceInForce(prices, "gpt-5", new Date("2025-07-01"), "anthropic")).toBeNull();
    expect(priceInForce(prices, "llama", new Date("2025-07-01"))).toBeNull();
  });

  it("converts dollars to micro-dollars without float drift", () => {
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000n);
    expect(usdToMicros(1.0000005)).toBe(1_000_001n);
    expect(usdToMicros(12)).toBe(12_000_000n);
  });

  it("matches providers by canonical name: capitalised, deprecated and OpenInference spellings find the price", () => {
    const prices = [
      price("claude-sonnet-4-5", "2025-01-01", 3, 0.3, 15, "anthropic"),
      price("gpt-5", "2025-01-01", 1.25, 0.125, 10, "azure.ai.openai"),
      price("gemini-2.5-pro", "2025-01-01", 1.25, 0.31, 10, "google"),
    ];
    const at = new Date("2026-01-01");
    expect(priceInForce(prices, "claude-sonnet-4-5", at, "Anthropic")?.provider).toBe("anthropic");
    expect(priceInForce(prices, "gpt-5", at, "az.ai.openai")?.provider).toBe("azure.ai.openai");
    expect(priceInForce(prices, "gpt-5", at, "azure")?.provider).toBe("azure.ai.openai");
    expect(priceInForce(prices, "gpt-5", at, "openai")).toBeNull(); // another provider's price is not used
    expect(priceInForce(prices, "gemini-2.5-pro", at, "gcp.gemini")?.provider).toBe("google"); // Google in general serves Gemini
  });
});
