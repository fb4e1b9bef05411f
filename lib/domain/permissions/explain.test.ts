import { describe, expect, it } from "vitest";
import { exclusionWhy, noAllowReason, usdText } from "./explain";

const req = { action: "tool:invoke", resource: "github.create_issue" };

describe("noAllowReason (the headline when no allow rule applies)", () => {
  it("says default deny when no rule came close", () => {
    expect(noAllowReason(req, [])).toBe("No rule allows tool:invoke on github.create_issue (default deny)");
  });

  it("names the rule a per-call cost limit excluded, with the estimate and the limit", () => {
    expect(
      noAllowReason(req, [
        { position: 3, exclusion: { kind: "cost_above_limit", estimateMicros: 400_000n, limitMicros: 250_000n } },
      ]),
    ).toBe("Denied: rule #3 matches but the estimate $0.40 is above its per-call limit $0.25");
  });

  it("names the rule that needs an estimate when none was given", () => {
    expect(noAllowReason(req, [{ position: 2, exclusion: { kind: "no_estimate", limitMicros: 2_000_000n } }])).toBe(
      "Denied: rule #2 matches but it needs a cost estimate (per-call limit $2.00) and none was given",
    );
  });

  it("names the rule whose allowed hours exclude the time", () => {
    expect(
      noAllowReason(req, [
        { position: 1, exclusion: { kind: "outside_hours", from: "09:00", to: "17:00", timeZone: "Europe/Paris" } },
      ]),
    ).toBe("Denied: rule #1 matches but only within its allowed hours 09:00–17:00 Europe/Paris");
  });

  it("names the first excluded rule and counts the others", () => {
    expect(
      noAllowReason(req, [
        { position: 4, exclusion: { kind: "cost_above_limit", estimateMicros: 400_000n, limitMicros: 250_000n } },
        { position: 6, exclusion: { kind: "no_estimate", limitMicros: 1_000_000n } },
        { position: 7, exclusion: { kind: "outside_hours", from: "22:00", to: "06:00", timeZone: "UTC" } },
      ]),
    ).toBe(
      "Denied: rule #4 matches but the estimate $0.40 is above its per-call limit $0.25 (2 more rules are excluded by their conditions)",
    );
    expect(
      noAllowReason(req, [
        { position: 4, exclusion: { kind: "no_estimate", limitMicros: 1_000_000n } },
        { position: 5, exclusion: { kind: "no_estimate", limitMicros: 1_000_000n } },
      ]),
    ).toMatch(/\(1 more rule is excluded by its conditions\)$/);
  });
});

describe("exclusionWhy (the trace line of an excluded rule)", () => {
  it("says the action and resource match and which condition excluded the rule", () => {
    expect(exclusionWhy({ kind: "cost_above_limit", estimateMicros: 400_000n, limitMicros: 250_000n })).toBe(
      "action and resource match, but the estimate $0.40 is above the $0.25 per-call limit",
    );
    expect(exclusionWhy({ kind: "no_estimate", limitMicros: 250_000n })).toBe(
      "action and resource match, but it needs a cost estimate of at most $0.25 per call, and none was given",
    );
    expect(exclusionWhy({ kind: "outside_hours", from: "09:00", to: "17:00", timeZone: "UTC" })).toBe(
      "action and resource match, but it is outside the allowed hours 09:00–17:00 UTC",
    );
  });
});

describe("usdText", () => {
  it("shows cents, and more digits only when a smaller amount needs them", () => {
    expect(usdText(400_000n)).toBe("$0.40");
    expect(usdText(2_000_000n)).toBe("$2.00");
    expect(usdText(1_200n)).toBe("$0.0012");
    expect(usdText(1_234_567_890n)).toBe("$1,234.56789");
  });
});
