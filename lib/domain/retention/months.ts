/** Logs are kept at least this long (EU AI Act Art. 19 and 26(6)): no retention setting, and no pruning, goes below. */
export const MIN_RETENTION_MONTHS = 6;

/** The instant `months` calendar months before `at` (UTC; the 31st falls back to the month's last day). */
export function monthsBefore(at: Date, months: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}
