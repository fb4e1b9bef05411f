import { describe, expect, it } from "vitest";
import { periodEnd, periodStart } from "@/lib/domain/budgets/periods";
import { SpendBreakdownQuerySchema, SpendQuerySchema } from "@/lib/domain/spend/schemas";
import { apiQuery, correctSpendParams, pageQuery, resolveRange } from "./spend-params";

const now = new Date("2026-12-02T10:30:00Z");
const correct = (sp: Record<string, string | undefined>, tz = "UTC") => correctSpendParams(sp, "team", tz, now);
const valid = (sp: Record<string, string | undefined>, tz = "UTC") => {
  const { params } = correct(sp, tz);
  const q = Object.fromEntries(apiQuery(params, tz, now));
  return SpendQuerySchema.safeParse(q).success && SpendBreakdownQuerySchema.safeParse(q).success;
};

describe("correctSpendParams", () => {
  it("leaves good parameters alone, without a note", () => {
    const r = correct({ range: "7d", bucket: "hour", groupBy: "model" });
    expect(r.notes).toEqual([]);
    expect(pageQuery(r.params)).toBe("range=7d&bucket=hour&groupBy=model");
    expect(correct({}).params).toMatchObject({ range: "30d", bucket: "day", groupBy: "team" });
  });
  it("gives a range too long for hours the finest bucket allowed", () => {
    const r = correct({ range: "90d", bucket: "hour" });
    expect(r.params.bucket).toBe("day");
    expect(r.notes[0]).toMatch(/Hourly buckets cover at most 31 days/);
  });
  it("swaps From after To, and falls back to 30 days on dates it cannot read", () => {
    const swapped = correct({ range: "custom", from: "2026-11-20", to: "2026-11-01" });
    expect(swapped.params).toMatchObject({ from: "2026-11-01", to: "2026-11-20" });
    expect(swapped.notes[0]).toMatch(/swapped/);
    for (const sp of [
      { range: "custom", from: "yesterday", to: "2026-13-45" },
      { range: "custom", from: "2026-02-30", to: "2026-03-01" },
      { range: "custom" },
    ]) {
      const r = correct(sp);
      expect(r.params.range).toBe("30d");
      expect(r.notes).toHaveLength(1);
    }
  });
  it("shortens a range beyond three years and coarsens its bucket", () => {
    const r = correct({ range: "custom", from: "2001-01-01", to: "2026-12-01", bucket: "hour" });
    expect(r.params.bucket).toBe("week");
    expect(r.notes.length).toBe(2);
  });
  it("produces what the API accepts, whatever the URL", () => {
    const urls = [
      { range: "90d", bucket: "hour" },
      { range: "custom", from: "2026-11-20", to: "2026-11-01", bucket: "hour" },
      { range: "custom", from: "1999-01-01", to: "2026-12-01", bucket: "day" },
      { range: "nope", bucket: "minute", groupBy: "x" },
      { range: "lastmonth", bucket: "hour" },
      { range: "mtd", bucket: "week" },
      { range: "week" },
      { range: "today" },
    ];
    for (const tz of ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
      for (const sp of urls) expect(valid(sp, tz), `${JSON.stringify(sp)} ${tz}`).toBe(true);
  });
});

describe("calendar presets", () => {
  it("start at local midnight in the organisation's time zone", () => {
    const p = (range: string, tz: string) => resolveRange({ range, bucket: "day", groupBy: "team" }, tz, now);
    expect(p("today", "UTC").from.toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(p("today", "Europe/Paris").from.toISOString()).toBe("2026-12-01T23:00:00.000Z");
    expect(p("week", "UTC").from.toISOString()).toBe("2026-11-30T00:00:00.000Z"); // Monday
    expect(p("mtd", "UTC").from.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    const last = p("lastmonth", "UTC");
    expect([last.from.toISOString(), last.to.toISOString()]).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);
  });
});

describe("rolling presets", () => {
  const range = (id: string, tz: string, at = now, bucket: "hour" | "day" = "day") =>
    resolveRange({ range: id, bucket, groupBy: "team" }, tz, at);
  /** The buckets the chart draws for a range: what lib/domain/spend bucketStarts walks. */
  const buckets = (r: { from: Date; to: Date }, bucket: "hour" | "day", tz: string) => {
    const out: Date[] = [];
    let t = bucket === "hour" ? r.from : periodStart("day", r.from, tz);
    while (t < r.to) {
      out.push(t);
      t = bucket === "hour" ? new Date(t.getTime() + 3_600_000) : periodEnd("day", t, tz);
    }
    return out;
  };

  it("7 days are 7 whole local days, today included, so day buckets draw 7 bars", () => {
    const utc = range("7d", "UTC");
    expect([utc.from.toISOString(), utc.to.toISOString()]).toEqual([
      "2026-11-26T00:00:00.000Z",
      "2026-12-02T11:00:00.000Z",
    ]);
    expect(buckets(utc, "day", "UTC")).toHaveLength(7);
    expect(range("7d", "Europe/Paris").from.toISOString()).toBe("2026-11-25T23:00:00.000Z");
  });
  it("counts N day buckets whatever the zone, the time of day and a DST change inside the range", () => {
    const instants = [
      now,
      new Date("2026-03-10T18:30:00Z"),
      new Date("2026-11-03T06:59:00Z"),
      new Date("2026-03-31T23:59:59Z"),
    ];
    for (const tz of ["UTC", "Europe/Paris", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata"])
      for (const at of instants)
        for (const [id, days] of [
          ["7d", 7],
          ["30d", 30],
          ["90d", 90],
        ] as const) {
          const r = range(id, tz, at);
          expect(r.from.getTime(), `${id} ${tz} ${at.toISOString()}`).toBe(periodStart("day", r.from, tz).getTime());
          const days_ = buckets(r, "day", tz);
          expect(days_, `${id} ${tz} ${at.toISOString()}`).toHaveLength(days);
          expect(days_.at(-1)?.getTime()).toBe(periodStart("day", at, tz).getTime()); // the last bar is today
        }
  });
  it("24 hours stay 24 hour buckets up to the end of the current hour", () => {
    for (const at of [now, new Date("2026-12-02T10:00:00Z"), new Date("2026-03-08T10:00:00.001Z")]) {
      const r = range("24h", "America/Los_Angeles", at, "hour");
      expect(buckets(r, "hour", "UTC")).toHaveLength(24);
      expect(r.to.getTime()).toBeGreaterThan(at.getTime()); // the hour in progress is in
    }
  });
  it("the API receives the same range the chart draws", () => {
    const { params } = correct({ range: "7d" }, "Europe/Paris");
    const q = apiQuery(params, "Europe/Paris", now);
    expect([q.get("from"), q.get("to"), q.get("bucket")]).toEqual([
      "2026-11-25T23:00:00.000Z",
      "2026-12-02T11:00:00.000Z",
      "day",
    ]);
  });
});
