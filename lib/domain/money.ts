/** Money is integer micro-dollars (1 USD = 1,000,000 µ$). Conversions round once, half away from zero. */
export const MICROS_PER_USD = 1_000_000n;

export function usdToMicros(usd: number): bigint {
  if (!Number.isFinite(usd)) throw new RangeError("amount must be a finite number");
  // toFixed(6) rounds the decimal representation, avoiding binary float drift (0.1 + 0.2).
  const [whole, frac = ""] = Math.abs(usd).toFixed(6).split(".");
  const micros = BigInt(whole) * MICROS_PER_USD + BigInt(frac.padEnd(6, "0"));
  return usd < 0 ? -micros : micros;
}

export function microsToUsd(micros: bigint | number | null | undefined): number {
  if (micros === null || micros === undefined) return 0;
  return Number(micros) / 1e6;
}

/** An optional amount in USD: null stays null (no limit, not reported), where microsToUsd reads it as 0. */
export function microsToUsdOrNull(micros: bigint | null): number | null {
  return micros === null ? null : microsToUsd(micros);
}

/** Integer division rounding half up, for non-negative numerators. */
export function divRound(n: bigint, d: bigint): bigint {
  return (n + d / 2n) / d;
}
