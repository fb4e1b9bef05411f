import { describe, expect, it } from "vitest";
import { periodEnd, periodStart } from "./periods";

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
