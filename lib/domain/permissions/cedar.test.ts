import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CedarRule, cedarContext, cedarPolicies, cedarPolicySet, cedarZones } from "./cedar";
import { type EvalRequest, evaluatePermissions, type ToolHints } from "./evaluate";

// Cedar, the reference implementation, must decide every request as our evaluator does: the same allow, deny or
// approval, by the same rule. Rule sets and requests are generated; each rule set is asked 1,000 requests.

const CLASSES = ["public", "internal", "confidential", "personal"];
const ACTIONS = ["tool:invoke", "tool:list", "data:read", "data:write", "model:use"];
const RESOURCES = [
  "github.search",
  "github.delete_repo",
  "gpt-5",
  "gpt-5-mini",
  "mcp:pay/refund",
  "billing/1",
  'we"ird\\name*',
  "line\nbreak", // Cedar's * matches a line break: so does ours
];
const ACTION_PATTERNS = [...ACTIONS, "tool:*", "*", "data:*", "*:read", "*e*"];
const RESOURCE_PATTERNS = [...RESOURCES, "line*", "github.*", "gpt-5*", "*", "mcp:*", "*delete*", 'we"ird\\*', "*/1"];
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"];
const TIMES = ["00:00", "06:00", "09:00", "12:30", "17:00", "22:00", "23:59"];
const ANNOTATIONS = ["read_only", "destructive", "idempotent", "open_world"] as const;

const micros = fc.constantFrom(0n, 1n, 100_000n, 999_999n, 1_000_000n, 2_500_000n);
const rule = fc.record({
  effect: fc.constantFrom("allow" as const, "deny" as const),
  action: fc.constantFrom(...ACTION_PATTERNS),
  resource: fc.constantFrom(...RESOURCE_PATTERNS),
  maxCostMicros: fc.option(micros, { nil: null }),
  allowedHours: fc.option(
    fc.record({
      from: fc.constantFrom(...TIMES),
      to: fc.constantFrom(...TIMES),
      timeZone: fc.constantFrom(...ZONES),
      days: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 5 }), {
        nil: undefined,
      }),
    }),
    { nil: null },
  ),
  requiresApproval: fc.boolean(),
  toolAnnotation: fc.option(fc.constantFrom(...ANNOTATIONS), { nil: null }),
  classification: fc.option(fc.constantFrom(...CLASSES), { nil: null }),
});
const ruleSet = fc
  .array(rule, { minLength: 0, maxLength: 8 })
  .map((rs) => rs.map((r, i): CedarRule => ({ ...r, id: `r${i}`, position: i + 1 })));
const hints: fc.Arbitrary<ToolHints> = fc.record({
  read_only: fc.boolean(),
  destructive: fc.boolean(),
  idempotent: fc.boolean(),
  open_world: fc.boolean(),
});
const request: fc.Arbitrary<EvalRequest> = fc
  .record({
    action: fc.constantFrom(...ACTIONS),
    resource: fc.constantFrom(...RESOURCES),
    estimatedMicros: fc.option(micros, { nil: null }),
    // Times on the quarter hours, or a minute either side: every zone here is a whole number of quarter hours from UTC,
    // so local times land on the windows' edges (09:00, 12:30, 23:59…) often.
    at: fc
      .tuple(fc.integer({ min: 0, max: 729 }), fc.integer({ min: 0, max: 95 }), fc.constantFrom(-1, 0, 1))
      .map(
        ([day, quarter, nudge]) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000 + (quarter * 15 + nudge) * 60_000),
      ),
    tool: fc.option(hints, { nil: null }),
    // The catalogue entries a resource falls under: all their classifications, and the most sensitive.
    classifications: fc.subarray(CLASSES),
  })
  .map(({ classifications, ...req }) => ({
    ...req,
    classification: classifications.at(-1) ?? null,
    classifications: [...classifications].reverse(),
  }));

type Verdict = { outcome: "allow" | "deny" | "approval"; ruleId: string | null };

function ours(rules: CedarRule[], req: EvalRequest): Verdict {
  const v = evaluatePermissions(rules, req);
  if (v.outcome === "allow") return { outcome: "allow", ruleId: v.ruleId };
  return { outcome: v.code === "approval_required" ? "approval" : "deny", ruleId: v.ruleId };
}

function theirs(rules: CedarRule[], policies: Record<string, string>, req: EvalRequest): Verdict {
  const answer = cedar.isAuthorized({
    principal: { type: "Agent", id: "probe" },
    action: { type: "Action", id: "call" },
    resource: { type: "Resource", id: "any" },
    context: cedarContext(req, cedarZones(rules)),
    policies: { staticPolicies: policies },
    entities: [],
  });
  if (answer.type !== "success") throw new Error(JSON.stringify(answer.errors));
  const { decision, diagnostics } = answer.response;
  expect(diagnostics.errors).toEqual([]);
  // The deciding policy: the first (lowest position) satisfied forbid or permit.
  const first = diagnostics.reason.map((id) => Number(id.slice("rule-".length))).sort((a, b) => a - b)[0];
  const r = first === undefined ? undefined : rules.find((x) => x.position === first);
  if (decision === "deny") return { outcome: "deny", ruleId: r?.id ?? null };
  return { outcome: r?.requiresApproval ? "approval" : "allow", ruleId: r!.id };
}

describe("Cedar export", () => {
  it("parses, and reads as the rules do", () => {
    const rules: CedarRule[] = [
      {
        id: "a",
        position: 1,
        effect: "allow",
        action: "tool:*",
        resource: "github.*",
        maxCostMicros: 500_000n,
        allowedHours: { from: "22:00", to: "06:00", timeZone: "Europe/Paris", days: [1, 2] },
        requiresApproval: true,
        description: "night\nshift",
      },
      {
        id: "d",
        position: 2,
        effect: "deny",
        action: "tool:invoke",
        resource: "github.delete_?",
        maxCostMicros: null,
        allowedHours: null,
        requiresApproval: false,
        toolAnnotation: "destructive",
      },
    ];
    const text = cedarPolicySet("ci-fixer", rules);
    expect(cedar.checkParsePolicySet({ staticPolicies: text })).toEqual({ type: "success" });
    expect(text).toContain('@requires_approval("true")');
    expect(text).toContain(
      '(context.clock["Europe/Paris"].minute >= 1320 || context.clock["Europe/Paris"].minute < 360)',
    );
    expect(text).toContain('context.resource like "github.delete_*"');
    expect(text).toContain("@inexact");
    expect(text).toContain("// night shift\n");
  });

  it("gives the evaluator's decision, by the same rule, on 1,000 generated requests per rule set", () => {
    let asked = 0;
    fc.assert(
      fc.property(ruleSet, fc.array(request, { minLength: 1000, maxLength: 1000 }), (rules, requests) => {
        const policies = cedarPolicies("probe", rules);
        for (const req of requests) {
          expect(
            theirs(rules, policies, req),
            JSON.stringify({ rules, req }, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
          ).toEqual(ours(rules, req));
          asked++;
        }
      }),
      // No shrinking: each step re-asks 1,000 requests; the first counterexample is reported as found.
      { numRuns: 12, seed: 20261203, endOnFailure: true },
    );
    expect(asked).toBe(12_000);
  }, 120_000);
});
