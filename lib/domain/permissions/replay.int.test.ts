import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { addPermissionRule } from "./add-permission-rule";
import { evaluatePermissions, type RuleLike } from "./evaluate";
import { replayRuleChange } from "./replay";

// A week of recorded decisions, a draft rule change, and the replay's counts and dollars against an independent
// computation: every decision judged one by one, in JavaScript, at its exact time and estimate.

const DAY = 86_400_000;
const outcome = (
  rules: RuleLike[],
  d: { action: string; resource: string; estimatedMicros: bigint | null; createdAt: Date },
) => {
  const v = evaluatePermissions(rules, { ...d, at: d.createdAt, tool: null });
  return v.outcome === "allow" ? "allow" : v.code === "approval_required" ? "approval" : "deny";
};

describe("replaying a draft rule change against recorded decisions", () => {
  it("counts the calls that would flip, by transition and by action and resource, with their recorded cost", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `replay-${org.tag}`));
    const rule = (r: object) => addPermissionRule(org.admin, {}, agent.id, r);
    await rule({ effect: "allow", action: "tool:invoke", resource: "github.*" });
    const cheap = await rule({ effect: "allow", action: "model:use", resource: "*", maxCostPerCallUsd: 0.05 });
    await rule({
      effect: "allow",
      action: "data:read",
      resource: "crm.*",
      allowedHours: { from: "08:00", to: "18:00", timeZone: "Europe/Paris", days: [1, 2, 3, 4, 5] },
    });
    await rule({ effect: "allow", action: "tool:invoke", resource: "slack.post", requiresApproval: true });

    // A week of calls, some with usage linked to them; one outside the window is never counted.
    const now = new Date();
    const calls: [string, string][] = [
      ["tool:invoke", "github.create_issue"],
      ["tool:invoke", "github.merge_pr"],
      ["tool:invoke", "slack.post"],
      ["model:use", "gpt-5"],
      ["data:read", "crm.accounts"],
      ["data:read", "billing.invoices"],
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const decisions = Array.from({ length: 1500 }, (_, i) => {
      const [action, resource] = calls[i % calls.length];
      return {
        id: randomUUID(),
        agentId: agent.id,
        action,
        resource,
        decision: "allow" as const,
        code: "allowed",
        reason: "recorded",
        estimatedMicros: rand() < 0.2 ? null : BigInt(Math.floor(rand() * 100_000)),
        createdAt: new Date(now.getTime() - Math.floor(rand() * 7 * DAY)),
      };
    });
    const old = { ...decisions[0], id: randomUUID(), createdAt: new Date(now.getTime() - 9 * DAY) };
    await db().decision.createMany({ data: [...decisions, old] });
    const usage = decisions
      .filter(() => rand() < 0.6)
      .map((d, i) => ({
        agentId: agent.id,
        eventId: `replay-${i}`,
        timestamp: d.createdAt,
        model: "gpt-5",
        inputTokens: 100,
        outputTokens: 10,
        costMicros: BigInt(1 + Math.floor(rand() * 20_000)),
        decisionId: d.id,
      }));
    await db().usageEvent.createMany({ data: usage });
    const costOf = new Map<string, bigint>();
    for (const u of usage) costOf.set(u.decisionId, (costOf.get(u.decisionId) ?? 0n) + u.costMicros);

    const current = (await db().permissionRule.findMany({ where: { agentId: agent.id } })) as RuleLike[];
    /** The same question answered one decision at a time. */
    const expected = (draft: RuleLike[]) => {
      const byTransition = new Map<string, { calls: number; usage: number }>();
      const byGroup = new Map<string, number>();
      for (const d of decisions) {
        const [from, to] = [outcome(current, d), outcome(draft, d)];
        if (from === to) continue;
        const t = byTransition.get(`${from}>${to}`) ?? { calls: 0, usage: 0 };
        t.calls++;
        t.usage += Number(costOf.get(d.id) ?? 0n);
        byTransition.set(`${from}>${to}`, t);
        byGroup.set(
          `${d.action} ${d.resource} ${from}>${to}`,
          (byGroup.get(`${d.action} ${d.resource} ${from}>${to}`) ?? 0) + 1,
        );
      }
      return { byTransition: Object.fromEntries(byTransition), byGroup: Object.fromEntries(byGroup) };
    };
    const got = (r: Awaited<ReturnType<typeof replayRuleChange>>) => ({
      byTransition: Object.fromEntries(
        r.transitions.map((t) => [`${t.from}>${t.to}`, { calls: t.calls, usage: t.usageMicros }]),
      ),
      byGroup: Object.fromEntries(r.groups.map((g) => [`${g.action} ${g.resource} ${g.from}>${g.to}`, g.calls])),
    });

    // 1. A deny on merges: every recorded merge flips allow → deny.
    const deny = { effect: "deny" as const, action: "tool:invoke", resource: "github.merge_*" };
    const r1 = await replayRuleChange(org.lead, agent.slug, { change: { op: "add", rule: deny } });
    expect(r1.decisions).toBe(decisions.length);
    const draft1 = [
      ...current,
      { ...deny, id: "d", position: 99, maxCostMicros: null, allowedHours: null, requiresApproval: false },
    ];
    expect(got(r1)).toEqual(expected(draft1));
    expect(r1.transitions).toEqual([expect.objectContaining({ from: "allow", to: "deny", calls: 250 })]);
    const merge = r1.groups[0];
    expect(merge).toMatchObject({ action: "tool:invoke", resource: "github.merge_pr", calls: 250 });
    expect(decisions.find((d) => d.id === merge.examples[0])).toMatchObject({ resource: "github.merge_pr" });
    expect(r1.changedUsageMicros).toBe(r1.transitions[0].usageMicros);

    // 2. Raising the cost limit to $0.08: calls estimated between 0.05 and 0.08 flip deny → allow (estimates matter).
    const raised = { effect: "allow" as const, action: "model:use", resource: "*", maxCostPerCallUsd: 0.08 };
    const r2 = await replayRuleChange(org.admin, agent.id, {
      change: { op: "update", ruleId: cheap.id, rule: raised },
    });
    const draft2 = current.map((r) => (r.id === cheap.id ? { ...r, maxCostMicros: 80_000n } : r));
    expect(got(r2)).toEqual(expected(draft2));
    expect(r2.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(["deny>allow"]);

    // 3. Business hours in New York instead of Paris: calls flip both ways by the minute they were made.
    const crm = current.find((r) => r.action === "data:read")!;
    const ny = {
      effect: "allow" as const,
      action: "data:read",
      resource: "crm.*",
      allowedHours: { from: "08:00", to: "18:00", timeZone: "America/New_York" },
    };
    const r3 = await replayRuleChange(org.admin, agent.id, { change: { op: "update", ruleId: crm.id, rule: ny } });
    const draft3 = current.map((r) => (r.id === crm.id ? { ...r, allowedHours: ny.allowedHours } : r));
    expect(got(r3)).toEqual(expected(draft3));
    expect(r3.changed).toBeGreaterThan(0);

    // 4. Dropping the approval rule: slack posts go from approval to denied (no rule allows them any more).
    const slack = current.find((r) => r.resource === "slack.post")!;
    const r4 = await replayRuleChange(org.admin, agent.id, { change: { op: "delete", ruleId: slack.id } });
    expect(got(r4)).toEqual(expected(current.filter((r) => r.id !== slack.id)));
    expect(r4.transitions).toEqual([expect.objectContaining({ from: "approval", to: "deny", calls: 250 })]);

    // A window of its own: only the decisions in it.
    const narrow = await replayRuleChange(org.admin, agent.id, {
      change: { op: "add", rule: deny },
      from: new Date(now.getTime() - 2 * DAY).toISOString(),
      to: now.toISOString(),
    });
    expect(narrow.decisions).toBe(decisions.filter((d) => d.createdAt >= new Date(now.getTime() - 2 * DAY)).length);

    // Nothing was written; other people cannot replay what they cannot see; bad drafts are refused.
    expect(await db().permissionRule.count({ where: { agentId: agent.id } })).toBe(4);
    const otherLead = { ...org.lead, teamIds: [org.other.id] };
    await expect(replayRuleChange(otherLead, agent.id, { change: { op: "add", rule: deny } })).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(
      replayRuleChange(org.admin, agent.id, { change: { op: "delete", ruleId: "nope" } }),
    ).rejects.toMatchObject({ kind: "not_found" });
    await expect(
      replayRuleChange(org.admin, agent.id, {
        change: { op: "add", rule: deny },
        from: "2026-01-01",
        to: "2025-01-01",
      }),
    ).rejects.toThrow();

    // Saved, each change keeps its replay in its audit event: the same figures the preview showed.
    const saved = await addPermissionRule(org.admin, {}, agent.id, deny);
    const impactOf = async (targetId: string, action: string) =>
      (
        (await db().auditEvent.findFirstOrThrow({ where: { targetId, action }, orderBy: { position: "desc" } }))
          .after as { impact: { changed: number; transitions: unknown[]; decisions: number } }
      ).impact;
    const added = await impactOf(saved.id, "permission.created");
    expect(added).toMatchObject({ changed: r1.changed, decisions: r1.decisions });
    expect(added.transitions).toEqual(r1.transitions);
    const { updatePermissionRule } = await import("./update-permission-rule");
    const { deletePermissionRule } = await import("./delete-permission-rule");
    await updatePermissionRule(org.admin, {}, agent.id, cheap.id, raised);
    expect((await impactOf(cheap.id, "permission.updated")).transitions).toEqual(r2.transitions);
    await deletePermissionRule(org.admin, {}, agent.id, slack.id);
    expect((await impactOf(slack.id, "permission.deleted")).changed).toBe(250);
  });

  it("a call the tool catalog refuses before any rule flips under no draft", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `replay-mcp-${org.tag}`));
    await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "tool:call", resource: "*" });
    const at = new Date(Date.now() - 60_000);
    const recorded = (resource: string) => ({
      id: randomUUID(),
      agentId: agent.id,
      action: "tool:call",
      resource,
      decision: "allow" as const,
      code: "allowed",
      reason: "recorded",
      createdAt: at,
    });
    // `mcp:srv//x` names no tool (refused before any rule today); `mcp:srv/x` is an uncatalogued tool.
    await db().decision.createMany({ data: [recorded("mcp:srv//x"), recorded("mcp:srv/x")] });
    const deny = { effect: "deny" as const, action: "tool:call", resource: "mcp:*" };
    const r = await replayRuleChange(org.admin, agent.id, { change: { op: "add", rule: deny } });
    expect(r.groups.map((g) => [g.resource, g.from, g.to])).toEqual([["mcp:srv/x", "allow", "deny"]]);
  });
});
