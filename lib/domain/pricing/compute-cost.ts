import { divRound } from "../money";
import { canonicalProvider, providerFamilyMatches } from "./providers";

export type PriceRow = {
  id: string;
  provider: string;
  model: string;
  inputMicrosPerMTok: bigint;
  cachedInputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  effectiveFrom: Date;
};

/**
 * The price in force at `at`: the latest one effective at or before it. When a provider is given it must match,
 * compared by canonical name ("Anthropic" is anthropic, "az.ai.openai" is azure.ai.openai); a price for Google in
 * general (gcp.gen_ai) serves Gemini and Vertex AI usage when no price names those.
 */
export function priceInForce(
  prices: PriceRow[],
  model: string,
  at: Date | number,
  provider?: string | null,
): PriceRow | null {
  const time = +at;
  const latest = (match: (p: PriceRow) => boolean) => {
    let best: PriceRow | null = null;
    for (const p of prices) {
      if (p.model !== model || !match(p)) continue;
      if (p.effectiveFrom.getTime() > time) continue;
      if (!best || p.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = p;
    }
    return best;
  };
  if (!provider) return latest(() => true);
  const wanted = canonicalProvider(provider);
  return (
    latest((p) => canonicalProvider(p.provider) === wanted) ??
    latest((p) => providerFamilyMatches(p.provider, provider))
  );
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
    uncached * price.inputMicrosPerMTok +
    cached * price.cachedInputMicrosPerMTok +
    BigInt(usage.outputTokens) * price.outputMicrosPerMTok;
  return divRound(numerator, 1_000_000n);
}
