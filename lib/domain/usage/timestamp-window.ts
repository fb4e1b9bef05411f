/**
 * The accepted window for usage timestamps. Budget periods are cut by time, so a timestamp is a claim about which
 * period a call belongs to: far-dated usage must not be able to land outside the period it was spent in.
 * - at most 5 minutes ahead of the server clock (clock skew);
 * - at most `USAGE_LATE_ARRIVAL_DAYS` (default 7) behind it (late delivery, retries after an outage).
 */
export const FUTURE_SKEW_MS = 5 * 60_000;

export function lateArrivalDays(): number {
  const days = Number(process.env.USAGE_LATE_ARRIVAL_DAYS ?? 7);
  return Number.isFinite(days) && days >= 0 ? days : 7;
}

/** Why `at` is outside the accepted window at `now`, or null when it is inside (`days`: lateArrivalDays()). */
export function timestampOutsideWindow(at: Date | number, now: Date, days = lateArrivalDays()): string | null {
  const time = +at;
  if (time > now.getTime() + FUTURE_SKEW_MS) return "is more than 5 minutes in the future";
  if (time < now.getTime() - days * 86_400_000)
    return `is older than the late-arrival window (${days} days, USAGE_LATE_ARRIVAL_DAYS)`;
  return null;
}
