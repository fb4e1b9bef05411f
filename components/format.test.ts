import { describe, expect, it } from "vitest";
import { chartTick, countOf, dateTime, money, moneyExact, moneyTick, percentUsed, usd } from "./format";

describe("moneyTick", () => {
  it("labels an axis short: no cents on whole dollars, compact from $10,000", () => {
    expect(moneyTick(0)).toBe("$0");
    expect(moneyTick(2.5)).toBe("$2.50");
    expect(moneyTick(40)).toBe("$40");
    expect(moneyTick(1500)).toBe("$1,500");
    expect(moneyTick(12_500)).toBe("$12.5K");
    expect(moneyTick(2_000_000)).toBe("$2M");
    expect(moneyTick(0.004)).toBe("$0.004");
  });
});

describe("money", () => {
  it("shows dollars and cents everywhere", () => {
    expect(money(1.56)).toBe("$1.56");
    expect(money(0.1187)).toBe("$0.12");
    expect(money(0.04)).toBe("$0.04");
    expect(money(15)).toBe("$15.00");
    expect(money(168)).toBe("$168.00");
    expect(money(1234.5)).toBe("$1,234.50");
    expect(money(0)).toBe("$0.00");
    expect(money(-2.5)).toBe("-$2.50");
  });
  it("never rounds a sub-cent amount to $0.00", () => {
    expect(money(0.004)).toBe("$0.004");
    expect(money(0.0045)).toBe("$0.0045");
    expect(money(0.00042)).toBe("$0.00042");
    expect(money(0.00001)).toBe("<$0.0001");
  });
  it("keeps the exact value for the hover title, and reads micro-dollars", () => {
    expect(moneyExact(0.1187)).toBe("$0.1187");
    expect(moneyExact(15)).toBe("$15.00");
    expect(usd(1_560_000n)).toBe("$1.56");
    expect(usd(null)).toBe("—");
    expect(money(null)).toBe("—");
  });
});

describe("dateTime", () => {
  it("has the year, 24-hour time and the zone", () => {
    expect(dateTime("2026-12-01T19:22:00Z")).toBe("2026-12-01 19:22 UTC");
    expect(dateTime("2026-12-01T23:00:00Z", "Europe/Paris")).toBe("2026-12-02 00:00 Europe/Paris");
    expect(dateTime(null)).toBe("—");
  });
  it("labels chart ticks in the zone", () => {
    expect(chartTick("2026-12-01T23:00:00Z", "hour", "Europe/Paris")).toBe("12-02 00:00");
    expect(chartTick("2026-11-30T00:00:00Z", "week")).toBe("wk 2026-11-30");
  });
});

describe("percentUsed", () => {
  it("never rounds a share of a limit up: one decimal below 100 %, whole from there", () => {
    expect(percentUsed(11.74)).toBe("11.7 %");
    expect(percentUsed(11.76)).toBe("11.7 %");
    expect(percentUsed(11.7)).toBe("11.7 %");
    expect(percentUsed(99.96)).toBe("99.9 %");
    expect(percentUsed(0)).toBe("0.0 %");
    expect(percentUsed(100)).toBe("100 %");
    expect(percentUsed(1234.5)).toBe("1,234 %");
  });
});

describe("countOf", () => {
  it("makes an outcome's unit plural by English's regular rules", () => {
    expect(countOf(1, "ticket")).toBe("1 ticket");
    expect(countOf(0, "ticket")).toBe("0 tickets");
    expect(countOf(1200, "ticket")).toBe("1,200 tickets");
    expect(countOf(2, "fix")).toBe("2 fixes");
    expect(countOf(2, "match")).toBe("2 matches");
    expect(countOf(3, "reply")).toBe("3 replies");
    expect(countOf(3, "day")).toBe("3 days");
    expect(countOf(2, "code review")).toBe("2 code reviews");
    expect(countOf(2, "PR")).toBe("2 PRs");
    expect(countOf(1, "PR")).toBe("1 PR");
    expect(countOf(2, "FAQS")).toBe("2 FAQS");
  });
});
