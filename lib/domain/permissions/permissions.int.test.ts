import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createBudget } from "../budgets/create-budget";
import { authorizeAction } from "../decisions/authorize-action";
import { simulateDecision } from "../decisions/simulate-decision";
import { DomainError } from "../errors";
import { ingestUsage } from "../usage/ingest-usage";
import { addPermissionRule } from "./add-permission-rule";
import { applyRuleTemplate } from "./apply-rule-template";
import { deletePermissionRule } from "./delete-permission-rule";
import { movePermissionRule } from "./move-permission-rule";
import { updatePermissionRule } from "./update-permission-rule";

async function setup(tag: string) {
  const org = await makeOrg();
  const agent = await registerAgent(
    org.admin,
    {},
    { ...agentInput(org.team.id, `perm-${tag}-${org.tag}`), config: { model: "gpt-5", fallbackModel: "gpt-5-mini" } },
  );
  return { org, agent };
}

const positions = async (agentId: string) =>
  (await db().permissionRule.findMany({ where: { agentId }, orderBy: { position: "asc" } })).map(
    (r) => `${r.position}:${r.effect} ${r.action} ${r.resource}`,
  );

describe("permission rule editing", () => {
  it("edits, reorders and deletes with before/after in the audit trail, keeping positions 1…n", async () => {
    const { org, agent } = await setup("edit");
    const a = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "allow",
      action: "tool:invoke",
      resource: "github.*",
    });
    const b = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "deny",
      action: "tool:invoke",
      resource: "github.delete_*",
    });
    const c = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "allow",
      action: "model:use",
      resource: "gpt-5*",
      maxCostPerCallUsd: 1,
    });

    await updatePermissionRule(org.admin, {}, agent.id, a.id, {
      effect: "allow",
      action: "tool:invoke",
      resource: "github.*",
      allowedHours: { from: "08:00", to: "18:00", timeZone: "Europe/Paris", days: [1, 2, 3, 4, 5] },
    });
    const updated = await db().auditEvent.findFirstOrThrow({ where: { action: "permission.updated", targetId: a.id } });
    expect(updated.before).toMatchObject({ allowedHours: null });
    expect(updated.after).toMatchObject({ allowedHours: { from: "08:00", timeZone: "Europe/Paris" } });

    await movePermissionRule(org.admin, {}, agent.id, c.id, { direction: "up" });
    expect(await positions(agent.id)).toEqual([
      "1:allow tool:invoke github.*",
      "2:allow model:use gpt-5*",
      "3:deny tool:invoke github.delete_*",
    ]);
    await expect(movePermissionRule(org.admin, {}, agent.id, a.id, { direction: "up" })).rejects.toMatchObject({
      kind: "validation",
    });

    await deletePermissionRule(org.admin, {}, agent.id, a.id);
    expect(await positions(agent.id)).toEqual(["1:allow model:use gpt-5*", "2:deny tool:invoke github.delete_*"]);
    const deleted = await db().auditEvent.findFirstOrThrow({ where: { action: "permission.deleted", targetId: a.id } });
    expect(deleted.before).toMatchObject({ resource: "github.*" });
    expect(b.id).toBeTruthy();
  });

  it("applies a template all at once, each rule audited with the template's name", async () => {
    const { org, agent } = await setup("tpl");
    const rules = await applyRuleTemplate(org.admin, {}, agent.id, { template: "read-only-data" });
    expect(rules.map((r) => `${r.position}:${r.effect} ${r.action}`)).toEqual([
      "1:allow data:read",
      "2:deny data:write",
      "3:deny data:delete",
    ]);
    expect(
      await db().auditEvent.count({
        where: { agentId: agent.id, action: "permission.created", reason: "template: Read-only data agent" },
      }),
    ).toBe(3);
    await expect(applyRuleTemplate(org.admin, {}, agent.id, { template: "nope" })).rejects.toBeInstanceOf(DomainError);
  });

  it("refuses non-admins and bad input, changing nothing", async () => {
    const { org, agent } = await setup("deny");
    const a = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "allow",
      action: "tool:invoke",
      resource: "github.*",
    });
    const before = await db().auditEvent.count();
    for (const who of [org.lead, org.viewer, org.auditor]) {
      await expect(
        updatePermissionRule(who, {}, agent.id, a.id, { effect: "deny", action: "tool:invoke", resource: "*" }),
      ).rejects.toMatchObject({ kind: "forbidden" });
      await expect(deletePermissionRule(who, {}, agent.id, a.id)).rejects.toMatchObject({ kind: "forbidden" });
      await expect(movePermissionRule(who, {}, agent.id, a.id, { direction: "down" })).rejects.toMatchObject({
        kind: "forbidden",
      });
      await expect(applyRuleTemplate(who, {}, agent.id, { template: "no-external-tools" })).rejects.toMatchObject({
        kind: "forbidden",
      });
    }
    await expect(
      updatePermissionRule(org.admin, {}, agent.id, a.id, {
        effect: "allow",
        action: "tool:invoke",
        resource: "x",
        allowedHours: { from: "25:00", to: "18:00", timeZone: "Mars/Olympus" },
      }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await db().auditEvent.count()).toBe(before);
    expect(await db().permissionRule.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
      effect: "allow",
      resource: "github.*",
    });
  });
});

describe("decision simulator", () => {
  it("gives the decision authorize gives, for rules and budgets, and writes nothing", async () => {
    const { org, agent } = await setup("sim");
    await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "tool:invoke", resource: "github.*" });
    const deny = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "deny",
      action: "tool:invoke",
      resource: "github.delete_*",
    });
    await addPermissionRule(org.admin, {}, agent.id, {
      effect: "allow",
      action: "model:use",
      resource: "gpt-5*",
      maxCostPerCallUsd: 2,
    });
    await addPermissionRule(org.admin, {}, agent.id, {
      effect: "allow",
      action: "data:read",
      resource: "customers/*",
      requiresApproval: true,
    });
    await createBudget(
      org.admin,
      {},
      { name: "soft", scope: "agent", agentId: agent.id, period: "day", limitUsd: 3, hardAction: "degrade" },
    );
    const block = await createBudget(
      org.admin,
      {},
      { name: "hard", scope: "agent", agentId: agent.id, period: "day", limitUsd: 5, hardAction: "block" },
    );
    await ingestUsage(agent.id, {
      events: [
        {
          id: "u1",
          timestamp: new Date().toISOString(),
          model: "gpt-5",
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 2.5,
        },
      ],
    });

    const cases = [
      { action: "tool:invoke", resource: "github.create_issue" },
      { action: "tool:invoke", resource: "github.delete_repo" },
      { action: "tool:invoke", resource: "slack.post" },
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 1 }, // over the degrade budget: fallback model
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 3 }, // above the per-call limit
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 2 }, // $2.5 + $2 ≤ $5: degrade budget still over
      { action: "data:read", resource: "customers/42" },
    ];
    for (const c of cases) {
      const auditBefore = await db().auditEvent.count();
      const decisionsBefore = await db().decision.count();
      const sim = await simulateDecision(org.viewer, agent.slug, c);
      expect(await db().auditEvent.count()).toBe(auditBefore);
      expect(await db().decision.count()).toBe(decisionsBefore);
      const real = await authorizeAction(agent.id, {}, c);
      expect({
        decision: sim.decision,
        code: sim.code,
        reason: sim.reason,
        ruleId: sim.ruleId ?? undefined,
        model: sim.model ?? undefined,
      }).toEqual({
        decision: real.decision,
        code: real.code,
        reason: real.reason,
        ruleId: real.ruleId,
        model: real.model,
      });
    }
    const d = await simulateDecision(org.viewer, agent.id, { action: "tool:invoke", resource: "github.delete_repo" });
    expect(d.ruleId).toBe(deny.id);
    // A time no budget period can start at is a 400, not a 500.
    for (const at of ["0000-01-01T00:00:00Z", "+275760-09-13T00:00:00Z"])
      await expect(
        simulateDecision(org.viewer, agent.id, { action: "tool:invoke", resource: "github.delete_repo", at }),
      ).rejects.toMatchObject({ name: "ZodError" });
    expect(d.rules.find((t) => t.position === 3)).toMatchObject({
      matched: false,
      why: 'action "tool:invoke" does not match "model:use"',
    });

    // Exhaust the block budget: both say budget_exhausted.
    await ingestUsage(agent.id, {
      events: [
        {
          id: "u2",
          timestamp: new Date().toISOString(),
          model: "gpt-5",
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 2.5,
        },
      ],
    });
    await db().budgetPeriodUsage.updateMany({ where: { budgetId: block.id }, data: { reservedMicros: 0n } });
    const sim = await simulateDecision(org.admin, agent.id, {
      action: "model:use",
      resource: "gpt-5",
      estimatedCostUsd: 0.5,
    });
    const real = await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.5 });
    expect([sim.code, sim.budgetId]).toEqual([real.code, real.budgetId]);
    expect(sim.code).toBe("budget_exhausted");
  });
});
