/**
 * Budget burn forecast: "recent daily rate with weekly seasonality".
 * - History starts at the first complete day with spend (the days before are not counted as quiet ones).
 * - The base rate is the mean daily spend of the last 14 complete days of it.
 * - Each weekday gets a factor: its mean over the last 28 days divided by the 28-day mean (1 when that weekday has
 *   no history yet), so quiet weekends and busy Mondays are projected as such.
 * - The rest of today is projected pro rata, then each remaining day of the period at base × its weekday factor.
 * The limit is crossed at the first moment the cumulative projection reaches it (linear within that day).
 */
export type DailySpend = { day: Date; micros: number }; // day = start of a local day; complete days only, oldest first

export type Forecast = {
  dailyRateMicros: number;
  projectedMicros: number;
  /** When the projection first reaches the limit; null when it does not within the period. */
  exceedsAt: Date | null;
  alreadyExceeded: boolean;
  /** Cumulative projection at the end of each remaining day (for the chart). */
  path: { at: Date; micros: number }[];
};

export function forecastSpend(input: {
  history: DailySpend[];
  spentMicros: number;
  limitMicros: number;
  now: Date;
  /** Start of each remaining day boundary, from the start of today up to the period end (inclusive), as instants. */
  dayBoundaries: Date[];
  weekdayOf: (d: Date) => number;
}): Forecast {
  const { spentMicros, limitMicros, now, dayBoundaries, weekdayOf } = input;
  // History starts at the first day with spend: the days before it are no history, not quiet days (a budget a few days
  // old would otherwise be projected at a fraction of its rate, and its weekdays not yet seen at nothing).
  const first = input.history.findIndex((d) => d.micros > 0);
  const history = first < 0 ? [] : input.history.slice(first);
  const last = (n: number) => history.slice(-n);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const base = mean(last(14).map((d) => d.micros));
  const month = last(28);
  const overall = mean(month.map((d) => d.micros));
  const factor = (dow: number) => {
    const same = month.filter((d) => weekdayOf(d.day) === dow).map((d) => d.micros);
    return overall > 0 && same.length ? mean(same) / overall : 1;
  };
  let cumulative = spentMicros;
  let exceedsAt: Date | null = null;
  const alreadyExceeded = spentMicros >= limitMicros;
  const path: { at: Date; micros: number }[] = [];
  for (let i = 0; i + 1 < dayBoundaries.length; i++) {
    const start = dayBoundaries[i];
    const end = dayBoundaries[i + 1];
    const length = end.getTime() - start.getTime();
    // Today only counts from now; later days count whole.
    const from = Math.max(start.getTime(), now.getTime());
    if (from >= end.getTime()) continue;
    const amount = base * factor(weekdayOf(start)) * ((end.getTime() - from) / length);
    if (!alreadyExceeded && exceedsAt === null && amount > 0 && cumulative + amount >= limitMicros) {
      exceedsAt = new Date(from + ((limitMicros - cumulative) / amount) * (end.getTime() - from));
    }
    cumulative += amount;
    path.push({ at: end, micros: cumulative });
  }
  return { dailyRateMicros: base, projectedMicros: cumulative, exceedsAt, alreadyExceeded, path };
}
