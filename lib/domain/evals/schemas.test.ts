import { describe, expect, it } from "vitest";
import { parseSuitesText, suitesText } from "./schemas";

describe("the console's required suites with minimum scores", () => {
  it("reads what it writes", () => {
    const gate = { suites: ["regression", "safety"], minScores: { safety: 0.9 } };
    expect(suitesText(gate.suites, gate.minScores)).toBe("regression, safety ≥ 0.9");
    expect(parseSuitesText(suitesText(gate.suites, gate.minScores))).toEqual(gate);
  });

  it("takes >= or ≥, with or without spaces, commas or spaces between suites", () => {
    expect(parseSuitesText("safety>=0.9 regression, pii ≥ -1.5")).toEqual({
      suites: ["safety", "regression", "pii"],
      minScores: { safety: 0.9, pii: -1.5 },
    });
    expect(parseSuitesText("  ")).toEqual({ suites: [], minScores: {} });
  });

  it("keeps what is not a number with the suite's name, so the name is refused", () => {
    expect(parseSuitesText("safety ≥ high")).toEqual({ suites: ["safety>=high"], minScores: {} });
    expect(parseSuitesText("safety>=")).toEqual({ suites: ["safety>="], minScores: {} });
  });
});
