/** Thresholds (percent of the limit) that spend crossed going from `before` to `after`, in micro-dollars. */
export function crossedThresholds(thresholds: number[], limitMicros: bigint, before: bigint, after: bigint): number[] {
  if (limitMicros <= 0n || after <= before) return [];
  const reached = (spent: bigint, t: number) => spent * 100n >= limitMicros * BigInt(t);
  return thresholds.filter((t) => reached(after, t) && !reached(before, t));
}
