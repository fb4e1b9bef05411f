import { afterEach, describe, expect, it } from "vitest";
import { timestampOutsideWindow } from "./timestamp-window";

const now = new Date("2026-12-01T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const DAY = 86_400_000;

describe("usage timestamp window", () => {
  afterEach(() => {
    delete process.env.USAGE_LATE_ARRIVAL_DAYS;
  });
  it("accepts up to 5 minutes ahead and 7 days back, refuses far-dated timestamps", () => {
    expect(timestampOutsideWindow(at(5 * 60_000), now)).toBeNull();
    expect(timestampOutsideWindow(at(-7 * DAY), now)).toBeNull();
    expect(timestampOutsideWindow(at(5 * 60_000 + 1), now)).toMatch(/future/);
    expect(timestampOutsideWindow(at(-7 * DAY - 1), now)).toMatch(/late-arrival window \(7 days/);
    expect(timestampOutsideWindow(new Date("9999-12-31T00:00:00Z"), now)).toMatch(/future/);
    expect(timestampOutsideWindow(new Date("0001-01-01T00:00:00Z"), now)).toMatch(/late-arrival/);
  });
  it("reads the late-arrival window from USAGE_LATE_ARRIVAL_DAYS", () => {
    process.env.USAGE_LATE_ARRIVAL_DAYS = "30";
    expect(timestampOutsideWindow(at(-20 * DAY), now)).toBeNull();
    expect(timestampOutsideWindow(at(-31 * DAY), now)).toMatch(/30 days/);
  });
});
