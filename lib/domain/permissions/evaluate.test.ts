import { describe, expect, it } from "vitest";
import { evaluatePermissions, globMatch, type RuleLike, withinHours } from "./evaluate";

let n = 0;
const rule = (effect: "allow" | "deny", action: string, resource: string, extra: Partial<RuleLike> = {}): RuleLike => ({
  id: `r${++n}`,
  position: n,
  effect,
  action,
  resource,
  maxCostMicros: null,
  allowedHours: null,
  requiresApproval: false,
  ...extra,
});
const at = new Date("2026-11-25T10:00:00Z"); // a Wednesday

describe("glob patterns", () => {
  it("matches * and ? and treats the rest literally", () => {
    expect(globMatch("github.*", "github.create_issue")).toBe(true);
    expect(globMatch("github.*", "githubXcreate")).toBe(false);
    expect(globMatch("customers/*", "customers/42")).toBe(true);
    expect(globMatch("gpt-5*", "gpt-5-mini")).toBe(true);
    expect(globMatch("gpt-?", "gpt-5")).toBe(true);
    expect(globMatch("a+b", "aab")).toBe(false);
    expect(globMatch("*", "")).toBe(true);
  });
});

describe("evaluatePermissions", () => {
  it("denies by default and explains", () => {
    const v = evaluatePermissions([rule("allow", "data:read", "customers/*")], {
      action: "tool:invoke",
      resource: "github.x",
      at,
    });
    expect(v).toMatchObject({ outcome: "deny", code: "no_matching_rule", ruleId: null });
    expect(v.trace[0].why).toMatch(/action "tool:invoke" does not match/);
  });

  it("lets a deny beat an earlier allow", () => {
    const allow = rule("allow", "tool:invoke", "github.*");
    const deny = rule("deny", "tool:invoke", "github.delete_*");
    expect(
      evaluatePermissions([allow, deny], { action: "tool:invoke", resource: "github.delete_repo", at }),
    ).toMatchObject({ outcome: "deny", code: "rule_denied", ruleId: deny.id });
    expect(
      evaluatePermissions([allow, deny], { action: "tool:invoke", resource: "github.create_issue", at }),
    ).toMatchObject({ outcome: "allow", ruleId: allow.id });
  });

  it("applies max cost per call to allows", () => {
    const r = rule("allow", "model:use", "gpt-5*", { maxCostMicros: 2_000_000n });
    expect(
      evaluatePermissions([r], { action: "model:use", resource: "gpt-5", estimatedMicros: 1_500_000n, at }).outcome,
    ).toBe("allow");
    const over = evaluatePermissions([r], { action: "model:use", resource: "gpt-5", estimatedMicros: 2_500_000n, at });
    expect(over).toMatchObject({ outcome: "deny", code: "no_matching_rule" });
    expect(over.trace[0].why).toMatch(/above the \$2.00/);
    // The headline agrees with the trace: the rule matched, its cost limit excluded it.
    expect(over.reason).toBe(
      `Denied: rule #${r.position} matches but the estimate $2.50 is above its per-call limit $2.00`,
    );
    expect(evaluatePermissions([r], { action: "model:use", resource: "gpt-5", at }).trace[0].why).toMatch(
      /none was given/,
    );
  });

  it("applies time windows in their time zone, including windows across midnight", () => {
    const office = rule("allow", "tool:invoke", "*", {
      allowedHours: { from: "09:00", to: "17:00", timeZone: "Europe/Paris", days: [1, 2, 3, 4, 5] },
    });
    expect(evaluatePermissions([office], { action: "tool:invoke", resource: "x", at }).outcome).toBe("allow"); // 11:00 Paris
    expect(
      evaluatePermissions([office], { action: "tool:invoke", resource: "x", at: new Date("2026-11-25T17:30:00Z") })
        .outcome,
    ).toBe("deny");
    expect(
      evaluatePermissions([office], { action: "tool:invoke", resource: "x", at: new Date("2026-11-28T10:00:00Z") })
        .outcome,
    ).toBe("deny"); // Saturday
    expect(withinHours({ from: "22:00", to: "06:00" }, new Date("2026-11-25T23:30:00Z"))).toBe(true);
    expect(withinHours({ from: "22:00", to: "06:00" }, new Date("2026-11-25T12:00:00Z"))).toBe(false);
  });

  it("requires approval when the matching allow says so", () => {
    const r = rule("allow", "data:write", "billing/*", { requiresApproval: true });
    expect(evaluatePermissions([r], { action: "data:write", resource: "billing/1", at })).toMatchObject({
      outcome: "deny",
      code: "approval_required",
      ruleId: r.id,
    });
  });
});
