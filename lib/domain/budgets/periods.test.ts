import { describe, expect, it } from "vitest";
import { changeZone, type PeriodZone, periodEnd, periodStart, settledBy } from "./periods";

describe("budget periods (UTC)", () => {
  const at = new Date("2026-11-25T15:30:00Z"); // Wednesday
  it("starts days at midnight, weeks on Monday, months on the 1st", () => {
    expect(periodStart("day", at).toISOString()).toBe("2026-11-25T00:00:00.000Z");
    expect(periodStart("week", at).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(periodStart("week", new Date("2026-11-29T23:59:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z"); // Sunday
    expect(periodStart("month", at).toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });
  it("ends where the next period starts", () => {
    expect(periodEnd("day", at).toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(periodEnd("week", at).toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(periodEnd("month", new Date("2026-12-31T23:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("budget periods in an organisation time zone", () => {
  it("start at local midnight", () => {
    const at = new Date("2026-11-25T23:30:00Z"); // already Thursday 26th 00:30 in Paris (UTC+1)
    expect(periodStart("day", at, "Europe/Paris").toISOString()).toBe("2026-11-25T23:00:00.000Z");
    expect(periodEnd("day", at, "Europe/Paris").toISOString()).toBe("2026-11-26T23:00:00.000Z");
    expect(periodStart("week", at, "Europe/Paris").toISOString()).toBe("2026-11-22T23:00:00.000Z");
    expect(periodStart("month", at, "Europe/Paris").toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(periodStart("day", new Date("2026-11-25T03:00:00Z"), "America/Los_Angeles").toISOString()).toBe(
      "2026-11-24T08:00:00.000Z",
    );
  });
  it("handle daylight-saving changes (a 23-hour and a 25-hour day)", () => {
    // Europe/Paris springs forward on 2026-03-29 and falls back on 2026-10-25.
    const spring = new Date("2026-03-29T12:00:00Z");
    expect(periodStart("day", spring, "Europe/Paris").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(periodEnd("day", spring, "Europe/Paris").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    const autumn = new Date("2026-10-25T12:00:00Z");
    expect(periodStart("day", autumn, "Europe/Paris").toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(periodEnd("day", autumn, "Europe/Paris").toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(periodEnd("month", new Date("2026-10-10T00:00:00Z"), "Europe/Paris").toISOString()).toBe(
      "2026-10-31T23:00:00.000Z",
    );
  });
  it("handle zones east of UTC with half-hour offsets", () => {
    expect(periodStart("day", new Date("2026-11-25T20:00:00Z"), "Asia/Kolkata").toISOString()).toBe(
      "2026-11-25T18:30:00.000Z",
    );
  });
});

describe("budget periods asked for many instants in any order (the interval cache)", () => {
  it("answers every instant with the period that contains it", () => {
    const zones = ["UTC", "Europe/Paris", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe"];
    const periods = ["day", "week", "month"] as const;
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const from = Date.UTC(2025, 0, 1);
    const span = 2 * 365 * 86_400_000;
    for (let i = 0; i < 5000; i++) {
      const at = new Date(from + Math.floor(random() * span));
      const zone = zones[i % zones.length];
      const period = periods[Math.floor(random() * 3)];
      const start = periodStart(period, at, zone);
      const end = periodEnd(period, at, zone);
      expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
      expect(end.getTime()).toBeGreaterThan(at.getTime());
      // The next period starts where this one ends, and the last instant of this one belongs to it.
      expect(periodStart(period, end, zone)).toEqual(end);
      expect(periodStart(period, new Date(end.getTime() - 1), zone)).toEqual(start);
      // Local midnight in the zone.
      const local = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        hour: "numeric",
        minute: "numeric",
      }).format(start);
      expect(local).toBe("00:00");
    }
  });
});

describe("budget periods where the clocks jump over midnight", () => {
  it("start a day at the instant the clocks jump to, whatever was asked before", () => {
    // America/Santiago went from UTC-4 to UTC-3 at 2024-09-08 00:00 local (04:00Z): 09-08 starts at 04:00Z.
    const zone = "America/Santiago";
    for (const order of [
      ["2024-09-08T05:00:00Z", "2024-09-08T03:30:00Z"],
      ["2024-09-08T03:30:00Z", "2024-09-08T05:00:00Z"],
    ]) {
      const answers = order.map((iso) => periodStart("day", new Date(iso), zone).toISOString());
      const byInstant = Object.fromEntries(order.map((iso, i) => [iso, answers[i]]));
      expect(byInstant["2024-09-08T05:00:00Z"]).toBe("2024-09-08T04:00:00.000Z");
      expect(byInstant["2024-09-08T03:30:00Z"]).toBe("2024-09-07T04:00:00.000Z");
    }
    expect(periodEnd("day", new Date("2024-09-07T12:00:00Z"), zone).toISOString()).toBe("2024-09-08T04:00:00.000Z");
  });
});

describe("budget periods across a change of time zone", () => {
  const span = (period: "day" | "week" | "month", at: string, zone: PeriodZone) =>
    `${periodStart(period, new Date(at), zone).toISOString()} – ${periodEnd(period, new Date(at), zone).toISOString()}`;
  // UTC until 10:00 on Saturday 5 December 2026, then Tokyo (whose days start at 15:00 UTC).
  const tokyo = changeZone("UTC", "Asia/Tokyo", new Date("2026-12-05T10:00:00Z"));
  it("runs the period running at the change to its end; the next runs to the new zone's second boundary", () => {
    expect(span("day", "2026-12-05T12:00:00Z", tokyo)).toBe("2026-12-05T00:00:00.000Z – 2026-12-06T00:00:00.000Z");
    // Tokyo's next day begins 15 hours later: the period runs on to the one after (no period is cut short).
    expect(span("day", "2026-12-06T05:00:00Z", tokyo)).toBe("2026-12-06T00:00:00.000Z – 2026-12-07T15:00:00.000Z");
    expect(span("day", "2026-12-06T16:00:00Z", tokyo)).toBe("2026-12-06T00:00:00.000Z – 2026-12-07T15:00:00.000Z");
    expect(span("day", "2026-12-07T16:00:00Z", tokyo)).toBe("2026-12-07T15:00:00.000Z – 2026-12-08T15:00:00.000Z");
    expect(span("month", "2026-12-20T00:00:00Z", tokyo)).toBe("2026-12-01T00:00:00.000Z – 2027-01-01T00:00:00.000Z");
    expect(span("month", "2027-01-10T00:00:00Z", tokyo)).toBe("2027-01-01T00:00:00.000Z – 2027-02-28T15:00:00.000Z");
    // Before the change, the periods were UTC's.
    expect(span("day", "2026-12-01T20:00:00Z", tokyo)).toBe("2026-12-01T00:00:00.000Z – 2026-12-02T00:00:00.000Z");
    // A zone whose boundaries are the running period's (London in winter) takes over at once.
    const london = changeZone("UTC", "Europe/London", new Date("2026-12-05T10:00:00Z"));
    expect(span("day", "2026-12-06T05:00:00Z", london)).toBe("2026-12-06T00:00:00.000Z – 2026-12-07T00:00:00.000Z");
  });
  it("changing back and forth within a period leaves it running; changes long over are forgotten", () => {
    const back = changeZone(tokyo, "UTC", new Date("2026-12-05T11:00:00Z"));
    const again = changeZone(back, "America/Sao_Paulo", new Date("2026-12-05T12:00:00Z"));
    expect(span("day", "2026-12-05T23:00:00Z", again)).toBe("2026-12-05T00:00:00.000Z – 2026-12-06T00:00:00.000Z");
    // The last change's zone follows: from UTC's midnight to São Paulo's second (03:00 UTC on the day after).
    expect(span("day", "2026-12-06T01:00:00Z", again)).toBe("2026-12-06T00:00:00.000Z – 2026-12-07T03:00:00.000Z");
    expect(span("day", "2026-12-06T05:00:00Z", again)).toBe("2026-12-06T00:00:00.000Z – 2026-12-07T03:00:00.000Z");
    expect(span("day", "2026-12-07T04:00:00Z", again)).toBe("2026-12-07T03:00:00.000Z – 2026-12-08T03:00:00.000Z");
    // Two months on, every period running at those changes has ended: only the zone is kept.
    expect(changeZone(again, "UTC", new Date("2027-02-10T00:00:00Z"))).toEqual({
      zone: "UTC",
      since: Date.parse("2027-02-10T00:00:00Z"),
      before: "America/Sao_Paulo",
      join: true,
    });
    expect(changeZone(tokyo, "Asia/Tokyo", new Date("2027-03-10T00:00:00Z"))).toBe("Asia/Tokyo");
    // Tokyo's periods after the change run to its second boundaries: the month's is the last to end, on 28 February.
    expect(settledBy(tokyo, new Date("2026-12-06T00:00:00Z")).toISOString()).toBe("2027-02-28T15:00:00.000Z");
    expect(settledBy(tokyo, new Date("2027-03-10T00:00:00Z")).toISOString()).toBe("2027-03-10T00:00:00.000Z");
    // Changing to the zone it is in changes nothing, settled or not.
    expect(changeZone(tokyo, "Asia/Tokyo", new Date("2026-12-06T00:00:00Z"))).toBe(tokyo);
  });
  it("a change never makes a period shorter than a whole one (a sliver, or half-days back and forth, would each get a whole limit)", () => {
    // Kathmandu (+5:45) to Kolkata (+5:30) at noon UTC: Kathmandu's day ends at 18:15 UTC, Kolkata's at 18:30 UTC.
    const kolkata = changeZone("Asia/Kathmandu", "Asia/Kolkata", new Date("2026-12-05T12:00:00Z"));
    expect(span("day", "2026-12-05T18:20:00Z", kolkata)).toBe("2026-12-05T18:15:00.000Z – 2026-12-06T18:30:00.000Z");
    expect(span("day", "2026-12-06T18:00:00Z", kolkata)).toBe("2026-12-05T18:15:00.000Z – 2026-12-06T18:30:00.000Z");
    expect(span("day", "2026-12-06T18:30:00Z", kolkata)).toBe("2026-12-06T18:30:00.000Z – 2026-12-07T18:30:00.000Z");
    // Tokyo to UTC on the last day of a month: Tokyo's month (and day) ends 9 hours before UTC's.
    const utc = changeZone("Asia/Tokyo", "UTC", new Date("2026-12-31T10:00:00Z"));
    expect(span("month", "2026-12-31T20:00:00Z", utc)).toBe("2026-12-31T15:00:00.000Z – 2027-02-01T00:00:00.000Z");
    expect(span("day", "2026-12-31T20:00:00Z", utc)).toBe("2026-12-31T15:00:00.000Z – 2027-01-02T00:00:00.000Z");
    // A later change inside that period starts cutting where it ends.
    const back = changeZone(kolkata, "UTC", new Date("2026-12-06T01:00:00Z"));
    expect(span("day", "2026-12-06T19:00:00Z", back)).toBe("2026-12-06T18:30:00.000Z – 2026-12-08T00:00:00.000Z");
    // Back and forth between UTC and Tarawa (+12), an hour into each new period, as often as allowed: every day
    // stays at least a day long (with the first boundary alone, each was a 12-hour day with a whole limit).
    let chain: PeriodZone = "UTC";
    let at = Date.parse("2027-05-03T01:00:00Z");
    for (let i = 0; i < 12; i++) {
      chain = changeZone(chain, i % 2 ? "UTC" : "Pacific/Tarawa", new Date(at));
      at = periodEnd("day", new Date(at), chain).getTime() + 3_600_000;
    }
    for (let t = Date.parse("2027-05-04T00:00:00Z"); t < at; ) {
      const [start, end] = [periodStart("day", new Date(t), chain), periodEnd("day", new Date(t), chain)];
      expect(end.getTime() - start.getTime(), `the day from ${start.toISOString()}`).toBeGreaterThanOrEqual(86_400_000);
      t = end.getTime();
    }
  });
  it("a change stored before periods ran on to the second boundary keeps the periods it was cut with", () => {
    const stored: PeriodZone = {
      zone: "Asia/Kolkata",
      since: Date.parse("2026-12-05T12:00:00Z"),
      before: "Asia/Kathmandu",
    };
    expect(span("day", "2026-12-05T18:20:00Z", stored)).toBe("2026-12-05T18:15:00.000Z – 2026-12-05T18:30:00.000Z");
    expect(span("day", "2026-12-05T20:00:00Z", stored)).toBe("2026-12-05T18:30:00.000Z – 2026-12-06T18:30:00.000Z");
  });
  it("a long chain of changes costs each lookup one pass over them (every branch walked would take years)", () => {
    const zones = ["Asia/Tokyo", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];
    let chain: PeriodZone = "UTC";
    for (let i = 0; i < 40; i++)
      chain = changeZone(chain, zones[i % 4], new Date(Date.parse("2026-12-05T00:30:00Z") + i * 60_000));
    for (const period of ["day", "week", "month"] as const)
      expect(periodStart(period, new Date("2026-12-05T12:00:00Z"), chain).toISOString()).toBe(
        periodStart(period, new Date("2026-12-05T12:00:00Z"), "UTC").toISOString(),
      );
    // The UTC day running at the changes ends at midnight; Sydney's (the last change's) follow, from its second.
    expect(span("day", "2026-12-06T05:00:00Z", chain)).toBe("2026-12-06T00:00:00.000Z – 2026-12-07T13:00:00.000Z");
  });
});
