import { describe, expect, it } from "vitest";
import { budgetStatus, percentOfLimit, tightestBudget } from "./status";

describe("budget status", () => {
  it("is on track below 80 %, near from 80 %, over from 100 %", () => {
    expect(budgetStatus(7_999_999n, 10_000_000n)).toBe("on_track");
    expect(budgetStatus(8_000_000n, 10_000_000n)).toBe("near");
    expect(budgetStatus(9_999_999n, 10_000_000n)).toBe("near");
    expect(budgetStatus(10_000_000n, 10_000_000n)).toBe("over");
    expect(budgetStatus(21_400_000n, 10_000_000n)).toBe("over");
    expect(budgetStatus(0n, 10_000_000n)).toBe("on_track");
  });

  it("gives % used to two decimals", () => {
    expect(percentOfLimit(4_290_000n, 2_000_000n)).toBe(214.5);
    expect(percentOfLimit(1n, 3_000_000n)).toBe(0);
    expect(percentOfLimit(2_000_000n, 3_000_000n)).toBe(66.66);
  });

  it("picks the largest share spent, exactly, then the least left", () => {
    const a = { id: "a", spentMicros: 1n, limitMicros: 3n }; // 33.33… %
    const b = { id: "b", spentMicros: 333_333n, limitMicros: 1_000_000n }; // 33.3333 %
    expect(tightestBudget([b, a])?.id).toBe("a");
    const c = { id: "c", spentMicros: 50n, limitMicros: 100n };
    const d = { id: "d", spentMicros: 5n, limitMicros: 10n };
    expect(tightestBudget([c, d])?.id).toBe("d");
    expect(tightestBudget([])).toBeUndefined();
  });
});
