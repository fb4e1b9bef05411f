import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { authorizeAction } from "../decisions/authorize-action";
import { simulateDecision } from "../decisions/simulate-decision";
import { addPermissionRule } from "./add-permission-rule";
import { promoteShadowRule } from "./promote-shadow-rule";
import { replayRuleChange } from "./replay";
import { shadowReport } from "./shadow";
import { updatePermissionRule } from "./update-permission-rule";

// Shadow rules are judged on every decision and recorded, never enforced; what they recorded is what enforcing them
// gives: each shadow rule is promoted in turn and the same calls are asked again.

type Call = { action: string; resource: string; estimatedCostUsd?: number };
const CALLS: Call[] = [
  { action: "tool:invoke", resource: "github.create_issue" },
  { action: "tool:invoke", resource: "github.merge_pr" },
  { action: "tool:invoke", resource: "github.merge_release" },
  { action: "tool:invoke", resource: "slack.post" },
  { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 },
  { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.07 },
  { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.2 },
  { action: "model:use", resource: "gpt-5" },
  { action: "data:read", resource: "crm.accounts" },
  { action: "data:read", resource: "billing.invoices" },
];
const outcomeOf = (d: { decision: string; code: string }) =>
  d.decision === "pending" ? "approval" : d.decision === "deny" ? "deny" : "allow";

describe("shadow rules", () => {
  it("record what they would have decided, never enforce it, and match what enforcing them gives", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `shadow-${org.tag}`), config: { model: "gpt-5" } },
    );
    const rule = (r: object) => addPermissionRule(org.admin, {}, agent.id, r);
    await rule({ effect: "allow", action: "tool:invoke", resource: "github.*" });
    await rule({ effect: "allow", action: "model:use", resource: "*", maxCostPerCallUsd: 0.05 });
    await rule({ effect: "allow", action: "tool:invoke", resource: "slack.post", requiresApproval: true });
    const shadows = [
      await rule({ effect: "deny", mode: "shadow", action: "tool:invoke", resource: "github.merge_*" }),
      await rule({ effect: "allow", mode: "shadow", action: "data:read", resource: "crm.*" }),
      await rule({ effect: "allow", mode: "shadow", action: "model:use", resource: "gpt-*", maxCostPerCallUsd: 0.1 }),
      await rule({ effect: "allow", mode: "shadow", action: "tool:invoke", resource: "slack.*" }),
    ];
    expect(shadows.map((s) => s.mode)).toEqual(["shadow", "shadow", "shadow", "shadow"]);

    const ask = async () => {
      const out = [];
      for (const c of CALLS) out.push(await authorizeAction(agent.id, {}, c));
      return out;
    };
    const t0 = new Date();
    const inShadow = await ask();
    await new Promise((r) => setTimeout(r, 5));
    const window = { from: t0.toISOString(), to: new Date().toISOString() };
    await new Promise((r) => setTimeout(r, 5));
    // Each rule's figures, read before any is edited (an edit starts a rule's figures afresh).
    const figures = await Promise.all(shadows.map((s) => shadowReport(org.viewer, agent.slug, s.id, window)));
    // Not enforced: merges are still allowed, CRM reads still denied, the dear model call still refused.
    expect(inShadow.map(outcomeOf)).toEqual([
      "allow",
      "allow",
      "allow",
      "approval",
      "allow",
      "deny",
      "deny",
      "deny",
      "deny",
      "deny",
    ]);
    const recorded = await db().decision.findMany({
      where: { id: { in: inShadow.map((d) => d.decisionId) } },
      select: { id: true, shadow: true },
    });
    const shadowOf = new Map(
      recorded.map((d) => [d.id, (d.shadow ?? []) as { ruleId: string; from: string; to: string }[]]),
    );

    for (const [n, s] of shadows.entries()) {
      // Every recorded verdict of this rule, beside the outcome enforcing it alone gives for the same call.
      await promoteShadowRule(org.admin, {}, agent.id, s.id);
      const enforced = await ask();
      await updatePermissionRule(org.admin, {}, agent.id, s.id, { ...ruleInput(s), mode: "shadow" });
      let matched = 0;
      let changed = 0;
      CALLS.forEach((c, i) => {
        const verdict = shadowOf.get(inShadow[i].decisionId)!.find((v) => v.ruleId === s.id);
        const matches = matchesGlob(s.action, c.action) && matchesGlob(s.resource, c.resource);
        expect(Boolean(verdict), `${s.resource} judged ${c.resource}`).toBe(matches);
        if (!verdict) {
          expect(outcomeOf(enforced[i])).toBe(outcomeOf(inShadow[i]));
          return;
        }
        matched++;
        expect(verdict.from).toBe(outcomeOf(inShadow[i]));
        expect(verdict.to, `${s.resource} on ${c.resource} ${c.estimatedCostUsd}`).toBe(outcomeOf(enforced[i]));
        if (verdict.from !== verdict.to) changed++;
      });
      const report = figures[n];
      expect({ matched: report.matched, changed: report.changed }).toEqual({ matched, changed });
      expect(report.days.reduce((n, d) => n + d.changed, 0)).toBe(changed);
      expect(report.examples).toHaveLength(changed);
    }

    // The figures per rule: the deny flips two merges; the CRM allow one read; the dearer limit one call; slack.* none
    // (the approval rule comes first and still applies).
    expect(figures.map((f) => f.transitions.map((t) => `${t.from}>${t.to} ${t.calls}`))).toEqual([
      ["allow>deny 2"],
      ["deny>allow 1"],
      ["deny>allow 1"],
      [],
    ]);

    // Promotion is audited with its evidence; an enforced rule is not promoted again.
    const promoted = await db().auditEvent.findFirstOrThrow({
      where: { action: "permission.promoted", targetId: shadows[0].id },
      orderBy: { position: "desc" },
    });
    expect(promoted.reason).toContain("2 decided differently (allow → deny 2)");
    expect(promoted.after).toMatchObject({ mode: "enforce", shadowEvidence: { matched: 2, changed: 2 } });
    await promoteShadowRule(org.admin, {}, agent.id, shadows[0].id);
    await expect(promoteShadowRule(org.admin, {}, agent.id, shadows[0].id)).rejects.toMatchObject({
      code: "rule_not_shadow",
    });

    // Edited, a rule's figures start again from the edit.
    expect((await shadowReport(org.admin, agent.id, shadows[1].id, window)).matched).toBe(0);

    // An edit that leaves the mode out keeps it; the simulator and replays ignore shadow rules too.
    const kept = await updatePermissionRule(org.admin, {}, agent.id, shadows[1].id, ruleInput(shadows[1]));
    expect(kept.mode).toBe("shadow");
    const sim = await simulateDecision(org.admin, agent.id, { action: "data:read", resource: "crm.accounts" });
    expect(sim.decision).toBe("deny");
    const replay = await replayRuleChange(org.admin, agent.id, {
      change: { op: "add", rule: { effect: "deny", mode: "shadow", action: "*", resource: "*" } },
    });
    expect(replay.changed).toBe(0);
    const promote = await replayRuleChange(org.admin, agent.id, {
      change: { op: "update", ruleId: shadows[1].id, rule: { ...ruleInput(shadows[1]), mode: "enforce" } },
    });
    expect(promote.transitions).toEqual([expect.objectContaining({ from: "deny", to: "allow" })]);

    // Only admins promote; a lead of another team cannot read the figures; a viewer cannot promote.
    await expect(promoteShadowRule(org.viewer, {}, agent.id, shadows[1].id)).rejects.toMatchObject({
      kind: "forbidden",
    });
    const otherLead = { ...org.lead, teamIds: [org.other.id] };
    await expect(shadowReport(otherLead, agent.id, shadows[1].id, {})).rejects.toMatchObject({ kind: "not_found" });
    await expect(shadowReport(org.admin, agent.id, "nope", {})).rejects.toMatchObject({ kind: "not_found" });
  });
});

function matchesGlob(pattern: string, value: string) {
  return new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/\*/g, ".*")}$`).test(value);
}

function ruleInput(r: {
  effect: "allow" | "deny";
  action: string;
  resource: string;
  maxCostMicros: bigint | null;
  requiresApproval: boolean;
}) {
  return {
    effect: r.effect,
    action: r.action,
    resource: r.resource,
    maxCostPerCallUsd: r.maxCostMicros === null ? null : Number(r.maxCostMicros) / 1e6,
    requiresApproval: r.requiresApproval,
  };
}
