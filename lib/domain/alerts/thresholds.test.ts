import { describe, expect, it } from "vitest";
import { crossedThresholds } from "./thresholds";

describe("crossedThresholds", () => {
  const limit = 10_000_000n; // $10
  it("reports each threshold the step crosses, exactly at the boundary too", () => {
    expect(crossedThresholds([50, 80, 100], limit, 0n, 5_000_000n)).toEqual([50]);
    expect(crossedThresholds([50, 80, 100], limit, 4_999_999n, 8_000_000n)).toEqual([50, 80]);
    expect(crossedThresholds([50, 80, 100], limit, 5_000_000n, 7_999_999n)).toEqual([]);
    expect(crossedThresholds([50, 80, 100, 150], limit, 9_000_000n, 20_000_000n)).toEqual([100, 150]);
  });
  it("reports nothing when spend does not grow", () => {
    expect(crossedThresholds([50], limit, 6_000_000n, 6_000_000n)).toEqual([]);
  });
});
