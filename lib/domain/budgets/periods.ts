/**
 * Budget periods in UTC: days start at midnight, weeks on Monday, months on the 1st.
 * (A configurable organisation time zone comes with the budgets console.)
 */
export type Period = "day" | "week" | "month";

export function periodStart(period: Period, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (period === "month") return new Date(Date.UTC(y, m, 1));
  if (period === "day") return new Date(Date.UTC(y, m, d));
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(y, m, d - sinceMonday));
}

export function periodEnd(period: Period, at: Date): Date {
  const s = periodStart(period, at);
  if (period === "month") return new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1));
  return new Date(s.getTime() + (period === "day" ? 1 : 7) * 86_400_000);
}
