import { divRound } from "../money";

export type PriceRow = {
  id: string;
  provider: string;
  model: string;
  inputMicrosPerMTok: bigint;
  cachedInputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  effectiveFrom: Date;
};

/** The price in force at `at`: the latest one effective at or before it (provider must match when given). */
export function priceInForce(prices: PriceRow[], model: string, at: Date, provider?: string | null): PriceRow | null {
  let best: PriceRow | null = null;
  for (const p of prices) {
    if (p.model !== model || (provider && p.provider !== provider)) continue;
    if (p.effectiveFrom.getTime() > at.getTime()) continue;
    if (!best || p.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = p;
  }
  return best;
}

/**
 * Cost in micro-dollars. `inputTokens` includes cached tokens (OpenAI / OpenTelemetry convention); the cached
 * part is charged at the cached rate. Rounded once, at the end, half up.
 */
export function computeCostMicros(
  price: Pick<PriceRow, "inputMicrosPerMTok" | "cachedInputMicrosPerMTok" | "outputMicrosPerMTok">,
  usage: { inputTokens: number; cachedInputTokens?: number; outputTokens: number },
): bigint {
  const cached = BigInt(Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens));
  const uncached = BigInt(usage.inputTokens) - cached;
  const numerator =
    uncached * price.inputMicrosPerMTok + cached * price.cachedInputMicrosPerMTok + BigInt(usage.outputTokens) * price.outputMicrosPerMTok;
  return divRound(numerator, 1_000_000n);
}
