import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg, priceModel } from "@/lib/test/fixtures";
import { systemActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { replayBudgetChange } from "../budgets/replay";
import { updateBudget } from "../budgets/update-budget";
import { getDeploymentGate, setRequiredSuites } from "../deployments/policies";
import { recordEvalRun } from "../evals/record-eval-run";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { renameTeam } from "../teams/rename-team";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../webhooks/delete-webhook-endpoint";
import { applyConfig } from "./apply-config";
import { configAsYaml } from "./document";
import { exportConfig, planConfig } from "./plan-config";
import type { ConfigDocument } from "./schemas";

// One database per test file: the configuration is the whole installation's, and these tests run in order.
const auditCount = () => db().auditEvent.count();
const clone = <T>(v: T): T => structuredClone(v);

async function setup() {
  const org = await makeOrg();
  await priceModel(org.admin, "gpt-5-mini", [0.25, 0.025, 2], new Date(Date.now() - 60_000));
  const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `bot-${org.tag}`));
  await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "tool:*", resource: "github.*" });
  return { org, agent };
}

describe("configuration as code", () => {
  it("shows beside a plan what its rule and budget changes would have done to last week's calls", async () => {
    const { org, agent } = await setup();
    // A week of tool calls, half of them estimated above $0.50; a dollar of usage behind each.
    const now = Date.now();
    const calls = Array.from({ length: 40 }, (_, i) => ({
      id: randomUUID(),
      agentId: agent.id,
      action: "tool:invoke",
      resource: "github.create_issue",
      decision: "allow" as const,
      code: "allowed",
      reason: "recorded",
      estimatedMicros: i % 2 ? 900_000n : 100_000n,
      createdAt: new Date(now - 60_000 - i * 3_600_000),
    }));
    await db().decision.createMany({ data: calls });
    await db().usageEvent.createMany({
      data: calls.map((c, i) => ({
        agentId: agent.id,
        eventId: `plan-${org.tag}-${i}`,
        timestamp: new Date(c.createdAt.getTime() + 1),
        model: "gpt-5-mini",
        inputTokens: 1,
        outputTokens: 1,
        costMicros: 1_000_000n,
        decisionId: c.id,
      })),
    });
    const doc = clone(await exportConfig(org.admin)) as ConfigDocument;
    const bot = doc.agents!.find((a) => a.slug === agent.slug)!;
    bot.permissions![0].maxCostPerCallUsd = 0.5;
    doc.budgets = [
      ...(doc.budgets ?? []),
      {
        name: `week-${org.tag}`,
        scope: "agent",
        agent: agent.slug,
        period: "week",
        limitUsd: 5,
        thresholds: [100],
        hardAction: "block",
      },
    ];
    const plan = await planConfig(org.admin, { document: doc });
    const rules = plan.impact.find((i) => i.kind === "rules" && i.key === agent.slug)!;
    // The independent count: the calls estimated above the new limit.
    expect(rules).toMatchObject({
      decisions: 40,
      changed: 20,
      changedUsageMicros: 20_000_000,
      transitions: [{ from: "allow", to: "deny", calls: 20 }],
    });
    // The budget as the console's preview replays it: $5 a week lets the first calls of each week through.
    const budget = plan.impact.find((i) => i.kind === "budget" && i.key === `week-${org.tag}`)!;
    const preview = await replayBudgetChange(org.admin, {
      change: {
        op: "create",
        budget: { name: "x", scope: "agent", agentId: agent.id, period: "week", limitUsd: 5, thresholds: [100] },
      },
    });
    expect(budget).toMatchObject({ op: "create", decisions: 40, changed: preview.changed });
    expect(budget.changed).toBeGreaterThan(0);
    // An auditor reads the plan and the rules' replay; a budget's replay is for who may change budgets.
    const audited = await planConfig(org.auditor, { document: doc });
    expect(audited.planHash).toBe(plan.planHash);
    expect(audited.impact.map((i) => i.kind)).not.toContain("budget");
    expect(audited.impact.map((i) => i.kind)).toContain("rules");
  });

  it("exports the live state so that planning it (as JSON or YAML) shows no changes", async () => {
    const { org } = await setup();
    const live = await exportConfig(org.admin);
    expect(live.agents?.map((a) => a.slug)).toContain(`bot-${org.tag}`);
    expect((await planConfig(org.auditor, { document: live })).changes).toEqual([]);
    const yaml = configAsYaml(live);
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(live)));
    const plan = await planConfig(org.admin, { document: yaml });
    expect(plan).toMatchObject({ changes: [], summary: { create: 0, update: 0, delete: 0 } });
    expect(plan.planHash).toMatch(/^[0-9a-f]{64}$/);
    const before = await auditCount();
    expect(await applyConfig(org.admin, {}, { document: yaml, planHash: plan.planHash })).toMatchObject({ applied: 0 });
    expect(await auditCount()).toBe(before);
  });

  it("plans field by field and applies through the console's commands, one audit event each plus config.applied", async () => {
    const { org, agent } = await setup();
    const doc = clone(await exportConfig(org.admin)) as ConfigDocument;
    const bot = doc.agents?.find((a) => a.slug === agent.slug);
    if (!bot?.config || !bot.permissions) throw new Error("exported agent lacks config");
    doc.teams = doc.teams?.map((t) => (t.slug === org.team.slug ? { ...t, name: "Renamed by config" } : t));
    bot.config.systemPrompt = "Be brief.";
    bot.permissions[0].maxCostPerCallUsd = 0.5;
    bot.permissions.push({
      ...bot.permissions[0],
      effect: "deny",
      resource: "github.delete_*",
      maxCostPerCallUsd: null,
    });
    doc.agents?.push({
      slug: `new-${org.tag}`,
      name: "New from config",
      description: "",
      team: org.other.slug,
      environment: "dev",
      catalogToolsOnly: true,
      config: { model: "gpt-5-mini", fallbackModel: null, systemPrompt: "", tools: [], parameters: {}, extra: {} },
      permissions: [{ ...bot.permissions[0] }],
    });
    doc.budgets = [
      ...(doc.budgets ?? []),
      {
        name: `cap-${org.tag}`,
        scope: "agent",
        agent: `new-${org.tag}`,
        period: "day",
        limitUsd: 12.5,
        thresholds: [80],
        hardAction: "block",
      },
    ];
    const plan = await planConfig(org.admin, { document: doc });
    const ops = plan.changes.map((c) => `${c.op} ${c.kind} ${c.key}`);
    expect(ops).toEqual([
      `update team ${org.team.slug}`,
      `update agentConfig ${agent.slug}`,
      `update rule ${agent.slug}#1`,
      `create rule ${agent.slug}#2`,
      `create agent new-${org.tag}`,
      `create rule new-${org.tag}#1`,
      `create budget cap-${org.tag}`,
    ]);
    expect(plan.changes[2].fields).toEqual([{ field: "maxCostPerCallUsd", from: null, to: 0.5 }]);
    expect(plan.changes[1].fields).toEqual([{ field: "systemPrompt", from: "", to: "Be brief." }]);

    const before = await auditCount();
    const result = await applyConfig(org.admin, { requestId: "cfg-1" }, { document: doc, planHash: plan.planHash });
    expect(result).toMatchObject({ applied: 7, pending: [], webhookSecrets: [] });
    const events = await db().auditEvent.findMany({
      where: { position: { gt: BigInt(before) } },
      orderBy: { position: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual([
      "team.renamed",
      "version.created",
      "deployment.created",
      "permission.updated",
      "permission.created",
      "agent.registered",
      "agent.updated",
      "permission.created",
      "budget.created",
      "config.applied",
    ]);
    expect(events.every((e) => e.requestId === "cfg-1" && e.actorId === org.admin.id)).toBe(true);
    expect(events.at(-1)?.targetId).toBe(plan.planHash);
    const live = await db().agent.findUniqueOrThrow({
      where: { slug: agent.slug },
      include: { deployedVersion: true },
    });
    expect(live.deployedVersion).toMatchObject({ number: 2, systemPrompt: "Be brief." });
    expect(await db().agent.findUniqueOrThrow({ where: { slug: `new-${org.tag}` } })).toMatchObject({
      catalogToolsOnly: true,
    });
    // Applied: the same document plans as no changes; its old hash is stale now.
    expect((await planConfig(org.admin, { document: doc })).changes).toEqual([]);
    await expect(applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash })).rejects.toMatchObject({
      code: "plan_stale",
    });

    // Drift: a change made in the console since shows as the change that undoes it.
    const budget = await db().budget.findFirstOrThrow({ where: { name: `cap-${org.tag}` } });
    await updateBudget(org.admin, {}, budget.id, { limitUsd: 99 });
    const drift = await planConfig(org.admin, { document: doc });
    expect(drift.changes).toEqual([
      { kind: "budget", key: `cap-${org.tag}`, op: "update", fields: [{ field: "limitUsd", from: 99, to: 12.5 }] },
    ]);

    // A budget, an agent and its rules left out of a given section go away (archived, retired).
    const smaller = clone(doc);
    smaller.agents = smaller.agents?.filter((a) => a.slug !== `new-${org.tag}`);
    smaller.budgets = smaller.budgets?.filter((b) => b.name !== `cap-${org.tag}`);
    const prune = await planConfig(org.admin, { document: smaller });
    expect(prune.changes.map((c) => `${c.op} ${c.kind} ${c.key}`)).toEqual([
      `delete budget cap-${org.tag}`,
      `delete agent new-${org.tag}`,
    ]);
    await applyConfig(org.admin, {}, { document: smaller, planHash: prune.planHash });
    expect(await db().agent.findUniqueOrThrow({ where: { slug: `new-${org.tag}` } })).toMatchObject({
      status: "retired",
    });
    expect((await db().budget.findUniqueOrThrow({ where: { id: budget.id } })).archivedAt).not.toBeNull();
  });

  it("refuses a stale plan and rolls every change back when one fails", async () => {
    const { org } = await setup();
    const doc = clone(await exportConfig(org.admin));
    doc.teams = doc.teams?.map((t) => (t.slug === org.team.slug ? { ...t, name: "Not applied" } : t));
    const plan = await planConfig(org.admin, { document: doc });
    await renameTeam(org.admin, {}, org.other.id, { name: "Moved meanwhile" });
    const before = await auditCount();
    await expect(applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash })).rejects.toMatchObject({
      kind: "conflict",
      code: "plan_stale",
    });
    expect(await auditCount()).toBe(before);

    // The team rename comes first, then an environment change its command refuses (a minimum score for a suite
    // the environment does not require, its suites read inside the apply): nothing stays.
    const refused = clone(await exportConfig(org.admin));
    refused.teams = refused.teams?.map((t) => (t.slug === org.team.slug ? { ...t, name: "Not applied either" } : t));
    refused.environments = { ...refused.environments, dev: { requireApproval: false, minScores: { nope: 0.5 } } };
    const refusedPlan = await planConfig(org.admin, { document: refused });
    expect(refusedPlan.changes.map((c) => `${c.op} ${c.kind} ${c.key}`)).toEqual([
      `update team ${org.team.slug}`,
      "update environment dev",
    ]);
    const beforeRefusal = await auditCount();
    await expect(
      applyConfig(org.admin, {}, { document: refused, planHash: refusedPlan.planHash }),
    ).rejects.toMatchObject({
      kind: "validation",
      message: expect.stringContaining("update environment dev"),
    });
    expect(await auditCount()).toBe(beforeRefusal);
    expect((await db().team.findUniqueOrThrow({ where: { id: org.team.id } })).name).not.toBe("Not applied either");
  });

  it("manages an environment's cost per passed case: tightening applies, loosening waits for a second admin", async () => {
    const { org } = await setup();
    const doc = clone(await exportConfig(org.admin));
    const gateBefore = await getDeploymentGate("dev");
    expect(doc.environments?.dev).toMatchObject({ maxCostPerPassedCaseUsd: null });
    if (doc.environments?.dev) doc.environments.dev.maxCostPerPassedCaseUsd = 0.05;
    const plan = await planConfig(org.admin, { document: doc });
    expect(plan.changes).toEqual([
      {
        kind: "environment",
        key: "dev",
        op: "update",
        fields: [{ field: "maxCostPerPassedCaseUsd", from: null, to: 0.05 }],
      },
    ]);
    expect((await applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash })).pending).toEqual([]);
    expect(await getDeploymentGate("dev")).toMatchObject({ maxCostPerPassedCaseUsd: 0.05 });
    // Without its suites, the document manages the limit alone (the suites read inside the apply's transaction).
    if (doc.environments?.dev) {
      delete doc.environments.dev.requiredSuites;
      doc.environments.dev.maxCostPerPassedCaseUsd = 0.04;
    }
    const alone = await planConfig(org.admin, { document: doc });
    expect((await applyConfig(org.admin, {}, { document: doc, planHash: alone.planHash })).pending).toEqual([]);
    expect(await getDeploymentGate("dev")).toEqual({ ...gateBefore, maxCostPerPassedCaseUsd: 0.04 });
    if (doc.environments?.dev) doc.environments.dev.maxCostPerPassedCaseUsd = null;
    const looser = await planConfig(org.admin, { document: doc });
    const result = await applyConfig(org.admin, {}, { document: doc, planHash: looser.planHash });
    expect(result.pending).toEqual([{ key: "dev", requestId: expect.any(String) }]);
    expect(await getDeploymentGate("dev")).toMatchObject({ maxCostPerPassedCaseUsd: 0.04 });
    await db().changeRequest.update({ where: { id: result.pending[0].requestId }, data: { status: "rejected" } });
    await setRequiredSuites(systemActor(), {}, { environment: "dev", suites: [], maxCostPerPassedCaseUsd: null });
  });

  it("manages a suite's minimum score: raising applies, lowering waits for a second admin", async () => {
    const { org } = await setup();
    const doc = clone(await exportConfig(org.admin));
    expect(doc.environments?.staging).toMatchObject({ requiredSuites: [], minScores: {} });
    if (doc.environments?.staging) {
      doc.environments.staging.requiredSuites = ["smoke"];
      doc.environments.staging.minScores = { smoke: 0.8 };
    }
    const plan = await planConfig(org.admin, { document: doc });
    expect(plan.changes).toEqual([
      {
        kind: "environment",
        key: "staging",
        op: "update",
        fields: [
          { field: "requiredSuites", from: [], to: ["smoke"] },
          { field: "minScores", from: {}, to: { smoke: 0.8 } },
        ],
      },
    ]);
    expect((await applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash })).pending).toEqual([]);
    expect(await getDeploymentGate("staging")).toMatchObject({ requiredSuites: ["smoke"], minScores: { smoke: 0.8 } });
    expect((await planConfig(org.admin, { document: doc })).changes).toEqual([]);
    // Lowering it weakens the gate: it waits.
    if (doc.environments?.staging) doc.environments.staging.minScores = { smoke: 0.5 };
    const lower = await planConfig(org.admin, { document: doc });
    const result = await applyConfig(org.admin, {}, { document: doc, planHash: lower.planHash });
    expect(result.pending).toEqual([{ key: "staging", requestId: expect.any(String) }]);
    expect((await getDeploymentGate("staging")).minScores).toEqual({ smoke: 0.8 });
    await db().changeRequest.update({ where: { id: result.pending[0].requestId }, data: { status: "rejected" } });
    // A minimum for a suite the document does not require is refused at plan time.
    if (doc.environments?.staging) doc.environments.staging.minScores = { regression: 1 };
    await expect(planConfig(org.admin, { document: doc })).rejects.toMatchObject({ kind: "validation" });
    await setRequiredSuites(systemActor(), {}, { environment: "staging", suites: [] });
  });

  it("keeps four-eyes: a deployment to prod becomes a pending request", async () => {
    const org = await makeOrg();
    const prod = await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `prod-${org.tag}`), environment: "prod" },
    );
    const doc = clone(await exportConfig(org.admin));
    const bot = doc.agents?.find((a) => a.slug === prod.slug);
    // Registered in prod by a person: version 1 itself is still waiting, so nothing is live.
    expect(bot?.config).toBeUndefined();
    if (bot)
      bot.config = { model: "gpt-5", fallbackModel: null, systemPrompt: "", tools: [], parameters: {}, extra: {} };
    const plan = await planConfig(org.admin, { document: doc });
    const result = await applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash });
    expect(result.pending).toEqual([{ key: prod.slug, requestId: expect.any(String) }]);
    const request = await db().changeRequest.findUniqueOrThrow({ where: { id: result.pending[0].requestId } });
    expect(request).toMatchObject({ status: "pending", requestedById: org.admin.id, agentId: prod.id });
    expect((await db().agent.findUniqueOrThrow({ where: { id: prod.id } })).deployedVersionId).toBeNull();
    // Planned again, the waiting deployment is shown as waiting, not asked for twice.
    const again = await planConfig(org.admin, { document: doc });
    expect(again.changes).toEqual([]);
    expect(again.waiting).toEqual([
      { key: prod.slug, waitingFor: "approval", versionNumber: expect.any(Number), requestId: request.id },
    ]);
    // Once it is rejected, the plan asks for it again (and the old plan's hash no longer applies).
    await db().changeRequest.update({ where: { id: request.id }, data: { status: "rejected" } });
    const afterReject = await planConfig(org.admin, { document: doc });
    expect(afterReject.changes.map((c) => `${c.op} ${c.kind} ${c.key}`)).toEqual([`create agentConfig ${prod.slug}`]);
    expect(afterReject.planHash).not.toBe(again.planHash);
  });

  it("registers an agent into a gated environment with version 1 waiting for its evals, and plans it as waiting", async () => {
    const { org } = await setup();
    await setRequiredSuites(org.admin, {}, { environment: "staging", suites: ["smoke"] });
    const doc = clone(await exportConfig(org.admin));
    const config = { model: "gpt-5-mini", fallbackModel: null, systemPrompt: "", tools: [], parameters: {}, extra: {} };
    const slug = `gated-${org.tag}`;
    doc.agents?.push({
      slug,
      name: "Gated",
      description: "",
      team: org.team.slug,
      environment: "staging",
      owner: null,
      catalogToolsOnly: false,
      config,
      permissions: [],
    });
    const plan = await planConfig(org.admin, { document: doc });
    const result = await applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash });
    // Registered, version 1 not live: the answer says why (before, later applies of this document were refused).
    expect(result.waitingForEvals).toEqual([
      { key: slug, versionNumber: 1, gateFailures: [{ suite: "smoke", status: "missing" }] },
    ]);
    const agent = await db().agent.findUniqueOrThrow({ where: { slug } });
    expect(agent.deployedVersionId).toBeNull();
    // Planned again: nothing to change, version 1 listed as waiting for its evals, and applying it changes nothing.
    const again = await planConfig(org.admin, { document: doc });
    expect(again.changes).toEqual([]);
    expect(again.waiting).toEqual([
      {
        key: slug,
        waitingFor: "evals",
        versionNumber: 1,
        requestId: null,
        gateFailures: [{ suite: "smoke", status: "missing" }],
      },
    ]);
    expect(await applyConfig(org.admin, {}, { document: doc, planHash: again.planHash })).toMatchObject({ applied: 0 });
    // Once its run passes, the plan (a new hash) deploys version 1 itself.
    await recordEvalRun(org.admin, {}, agent.id, 1, {
      runId: `smoke-${org.tag}`,
      suite: "smoke",
      ranAt: new Date().toISOString(),
      score: 1,
      threshold: 0.9,
      cases: [],
    });
    const passed = await planConfig(org.admin, { document: doc });
    expect(passed.waiting).toEqual([]);
    expect(passed.changes.map((c) => `${c.op} ${c.kind} ${c.key}`)).toEqual([`create agentConfig ${slug}`]);
    expect(passed.planHash).not.toBe(again.planHash);
    await applyConfig(org.admin, {}, { document: doc, planHash: passed.planHash });
    const live = await db().agent.findUniqueOrThrow({ where: { slug }, include: { deployedVersion: true } });
    expect(live.deployedVersion?.number).toBe(1);
    await setRequiredSuites(systemActor(), {}, { environment: "staging", suites: [] });
  });

  it("applies a document that gates an environment and changes an agent's config there: the version waits for its evals", async () => {
    const { org } = await setup();
    const slug = `tight-${org.tag}`;
    const agent = await registerAgent(org.admin, {}, { ...agentInput(org.team.id, slug), environment: "staging" });
    const doc = clone(await exportConfig(org.admin));
    doc.environments = { ...doc.environments, staging: { requireApproval: false, requiredSuites: ["smoke"] } };
    const bot = doc.agents!.find((a) => a.slug === slug)!;
    bot.config = { ...bot.config!, systemPrompt: "Ask before writing." };
    const plan = await planConfig(org.admin, { document: doc });
    expect(plan.changes.map((c) => `${c.op} ${c.kind} ${c.key}`)).toEqual([
      "update environment staging",
      `update agentConfig ${slug}`,
    ]);
    // Before, the new version's deployment was refused by the gate the same apply set, rolling back everything.
    const result = await applyConfig(org.admin, {}, { document: doc, planHash: plan.planHash });
    expect(result).toMatchObject({ applied: 2, pending: [] });
    expect(result.waitingForEvals).toEqual([
      { key: slug, versionNumber: 2, gateFailures: [{ suite: "smoke", status: "missing" }] },
    ]);
    expect((await getDeploymentGate("staging")).requiredSuites).toEqual(["smoke"]);
    const live = await db().agent.findUniqueOrThrow({ where: { id: agent.id }, include: { deployedVersion: true } });
    expect(live.deployedVersion?.number).toBe(1);
    // Planned again: nothing to change; version 2 waits for its evals.
    const again = await planConfig(org.admin, { document: doc });
    expect(again.changes).toEqual([]);
    expect(again.waiting).toMatchObject([{ key: slug, waitingFor: "evals", versionNumber: 2 }]);
    await setRequiredSuites(systemActor(), {}, { environment: "staging", suites: [] });
  });

  it("refuses bad documents and the wrong people with nothing written", async () => {
    const { org } = await setup();
    const doc = await exportConfig(org.admin);
    const { planHash } = await planConfig(org.admin, { document: doc });
    const before = await auditCount();
    await expect(planConfig(org.viewer, { document: doc })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(planConfig(org.lead, { document: doc })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(applyConfig(org.auditor, {}, { document: doc, planHash })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(exportConfig(org.viewer)).rejects.toMatchObject({ kind: "forbidden" });
    const bad = async (document: unknown, field: string) => {
      const err = await planConfig(org.admin, { document }).catch((e) => e);
      expect(err).toMatchObject({ kind: "validation" });
      expect(Object.keys(err.details).filter((k) => k === field || k.startsWith(`${field}.`))).not.toEqual([]);
    };
    await bad("version: 1\nteams: [\n", "document");
    await bad("version: 1\nversion: 1\n", "document");
    await bad("a: &a [*a, *a]\n", "document");
    await bad('version: 1\nteams: [{slug: ab, name: "a\\0b"}]\n', "document.teams.0.name");
    await bad('version: 1\nteams: [{slug: ab, name: "\\ud800"}]\n', "document.teams.0.name");
    await bad("%YAML 1.1\n---\nversion: 1\nteams: !!set {a}\n", "document.teams");
    await bad(
      "version: 1\nbudgets: [{name: b, scope: org, period: day, limitUsd: .inf}]\n",
      "document.budgets.0.limitUsd",
    );
    await bad(`version: 1\nteams: ${"[".repeat(70)}${"]".repeat(70)}\n`, "document.teams.0.0.0");
    await bad({ version: 2 }, "document.version");
    await bad({ version: 1, teams: [{ slug: "x1", name: "X", colour: "red" }] }, "document.teams.0");
    await bad(
      {
        version: 1,
        teams: [
          { slug: "dup", name: "A" },
          { slug: "dup", name: "B" },
        ],
      },
      "document.teams.1",
    );
    await bad({ version: 1, agents: [{ ...doc.agents?.[0], team: "no-such-team" }] }, "document.agents.0.team");
    await bad(
      { version: 1, agents: [{ ...doc.agents?.[0], slug: `fresh-${org.tag}`, config: undefined }] },
      "document.agents.0.config",
    );
    await bad(
      { version: 1, budgets: [{ name: "b", scope: "agent", agent: "nobody", period: "day", limitUsd: 1 }] },
      "document.budgets.0.agent",
    );
    expect(await auditCount()).toBe(before);
  });

  it("tells an auditor nothing of a webhook URL they guess: compared by its mask, shown without its fingerprint", async () => {
    const { org } = await setup();
    const secretUrl = `https://hooks.example.com/services/${org.tag}/s3cret`;
    const name = `hook-${org.tag}`;
    const hook = await createWebhookEndpoint(org.admin, {}, { name, url: secretUrl });
    try {
      const exported = await exportConfig(org.auditor);
      const masked = exported.webhooks?.find((w) => w.name === name)?.url;
      expect(masked).toMatch(/^https:\/\/hooks\.example\.com\/…#[0-9a-f]{12}$/);
      expect((await planConfig(org.auditor, { document: exported })).changes).toEqual([]);
      const withUrl = (url: string) => ({
        ...exported,
        webhooks: exported.webhooks?.map((w) => (w.name === name ? { ...w, url } : w)),
      });
      const right = await planConfig(org.auditor, { document: withUrl(secretUrl) });
      const wrong = await planConfig(org.auditor, {
        document: withUrl(`https://hooks.example.com/services/${org.tag}/x`),
      });
      // The right guess plans as a wrong one does, and neither shows a fingerprint to compare with the export's.
      const replaced = [
        {
          kind: "webhook",
          key: name,
          op: "replace",
          fields: [{ field: "url", from: masked, to: "https://hooks.example.com/…" }],
        },
      ];
      expect(right.changes).toEqual(replaced);
      expect(wrong.changes).toEqual(replaced);
      // So does a new endpoint's URL.
      const added = await planConfig(org.auditor, {
        document: { ...exported, webhooks: [...(exported.webhooks ?? []), { name: `new-${org.tag}`, url: secretUrl }] },
      });
      expect(added.changes).toContainEqual({
        kind: "webhook",
        key: `new-${org.tag}`,
        op: "create",
        fields: [{ field: "url", from: null, to: "https://hooks.example.com/…" }],
      });
      // An admin (who reads the URL anyway) plans no change for the live URL, and sees it masked with its fingerprint.
      expect((await planConfig(org.admin, { document: withUrl(secretUrl) })).changes).toEqual([]);
      const moved = await planConfig(org.admin, {
        document: withUrl(`https://hooks.example.com/services/${org.tag}/x`),
      });
      expect(moved.changes[0].fields[0]).toMatchObject({ from: masked, to: expect.stringMatching(/…#[0-9a-f]{12}$/) });
    } finally {
      await deleteWebhookEndpoint(org.admin, {}, hook.id);
    }
  });
});
