import { describe, expect, it } from "vitest";
import { forecastSpend } from "./forecast";

const DAY = 86_400_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const weekdayOf = (d: Date) => d.getUTCDay();
const boundaries = (fromIso: string, days: number) =>
  Array.from({ length: days + 1 }, (_, i) => new Date(day(fromIso).getTime() + i * DAY));

describe("forecastSpend", () => {
  it("projects the recent daily rate to the period end and says when the limit is crossed", () => {
    const history = Array.from({ length: 28 }, (_, i) => ({
      day: new Date(day("2026-10-28").getTime() + i * DAY),
      micros: 1_000_000,
    }));
    const f = forecastSpend({
      history,
      spentMicros: 20_000_000,
      limitMicros: 25_000_000,
      now: day("2026-11-25"),
      dayBoundaries: boundaries("2026-11-25", 6),
      weekdayOf,
    });
    expect(f.dailyRateMicros).toBe(1_000_000);
    expect(f.projectedMicros).toBe(26_000_000);
    expect(f.exceedsAt?.toISOString()).toBe("2026-11-30T00:00:00.000Z"); // 5 more days at $1 reaches $25
    expect(f.path).toHaveLength(6);
  });

  it("a budget a few days old: the days before its first spend are no history, not quiet days", () => {
    // 25 days of nothing (the agent did not exist), then $3 on each of the last three days (Sunday to Tuesday).
    const history = Array.from({ length: 28 }, (_, i) => ({
      day: new Date(day("2026-10-28").getTime() + i * DAY),
      micros: i >= 25 ? 3_000_000 : 0,
    }));
    // Wednesday 25 November at noon, for the rest of the week.
    const f = forecastSpend({
      history,
      spentMicros: 1_000_000,
      limitMicros: 1e12,
      now: new Date("2026-11-25T12:00:00Z"),
      dayBoundaries: boundaries("2026-11-25", 5),
      weekdayOf,
    });
    // $3 a day, Wednesday to Sunday (none seen yet: factor 1): half of today, then four whole days.
    expect(f.dailyRateMicros).toBe(3_000_000);
    expect(f.projectedMicros).toBe(1_000_000 + 1_500_000 + 4 * 3_000_000);
  });

  it("weights weekdays by their share: a quiet weekend is projected quiet", () => {
    // Weekdays $2, weekends $0 for four weeks.
    const history = Array.from({ length: 28 }, (_, i) => {
      const d = new Date(day("2026-10-26").getTime() + i * DAY);
      return { day: d, micros: [0, 6].includes(d.getUTCDay()) ? 0 : 2_000_000 };
    });
    const sat = forecastSpend({
      history,
      spentMicros: 0,
      limitMicros: 1e12,
      now: day("2026-11-28"),
      dayBoundaries: boundaries("2026-11-28", 2),
      weekdayOf,
    });
    expect(sat.projectedMicros).toBe(0);
    const mon = forecastSpend({
      history,
      spentMicros: 0,
      limitMicros: 1e12,
      now: day("2026-11-30"),
      dayBoundaries: boundaries("2026-11-30", 1),
      weekdayOf,
    });
    expect(mon.projectedMicros).toBeCloseTo(2_000_000, 0);
  });

  it("counts only the rest of today, and reports an already exceeded limit", () => {
    const history = Array.from({ length: 14 }, (_, i) => ({
      day: new Date(day("2026-11-11").getTime() + i * DAY),
      micros: 4_000_000,
    }));
    const f = forecastSpend({
      history,
      spentMicros: 10_000_000,
      limitMicros: 5_000_000,
      now: new Date(day("2026-11-25").getTime() + DAY / 2),
      dayBoundaries: boundaries("2026-11-25", 1),
      weekdayOf,
    });
    expect(f.projectedMicros).toBe(12_000_000);
    expect(f.alreadyExceeded).toBe(true);
    expect(f.exceedsAt).toBeNull();
  });

  it("has no history: no projection beyond what is spent", () => {
    const f = forecastSpend({
      history: [],
      spentMicros: 3,
      limitMicros: 10,
      now: day("2026-11-25"),
      dayBoundaries: boundaries("2026-11-25", 3),
      weekdayOf,
    });
    expect(f).toMatchObject({ projectedMicros: 3, exceedsAt: null });
  });
});
