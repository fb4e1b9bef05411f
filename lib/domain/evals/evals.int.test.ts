import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { systemActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { updateAgent } from "../agents/update-agent";
import { approveChangeRequest, rejectChangeRequest } from "../changes/decide-change-request";
import { deployVersion } from "../deployments/deploy-version";
import { getDeploymentGate, setEnvironmentPolicy, setRequiredSuites } from "../deployments/policies";
import { createAgentVersion } from "../versions/create-agent-version";
import { listDeployments } from "../versions/queries";
import { latestEvalsByVersion } from "./latest-evals";
import { compareEvalResults, listEvalRuns } from "./queries";
import { MAX_SUITES_PER_VERSION, recordEvalRun } from "./record-eval-run";

const run = (runId: string, score: number, cases: { caseId: string; passed: boolean; costUsd?: number }[] = []) => ({
  runId,
  suite: "safety",
  ranAt: new Date().toISOString(),
  score,
  threshold: 0.9,
  logUrl: `https://ci.example.com/runs/${runId}`,
  cases,
});

async function setup() {
  const org = await makeOrg();
  const agent = await registerAgent(
    systemActor(),
    {},
    { ...agentInput(org.team.id, `evals-${org.tag}`), environment: "prod" },
  );
  for (const note of ["v2", "v3", "v4", "v5"])
    await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5", note });
  return { org, agent };
}

describe("eval runs and deployment gates", () => {
  it("eval runs and deployments page with a cursor, newest first, none skipped or repeated", async () => {
    const { org, agent } = await setup();
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: [] });
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
    const ranAt = Date.parse("2026-11-01T00:00:00Z");
    // Two runs share a time: the id breaks the tie, so the page boundary cannot drop one.
    const times = [0, 1, 1, 2, 3].map((h) => new Date(ranAt + h * 3_600_000).toISOString());
    for (const [i, t] of times.entries())
      await recordEvalRun(org.admin, {}, agent.id, 2, { ...run(`pg-${i}`, 0.95), ranAt: t });
    for (const n of [2, 3, 4, 2])
      await deployVersion(org.admin, {}, agent.id, { versionNumber: n, reason: "paging test" });
    async function all<T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
      const out: T[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await read(cursor);
        expect(page.items.length).toBeLessThanOrEqual(2);
        out.push(...page.items);
        if (!page.nextCursor) return out;
        cursor = page.nextCursor;
      }
      throw new Error("did not end");
    }
    const runs = await all((cursor) => listEvalRuns(org.admin, agent.id, 2, { limit: 2, cursor }));
    expect(runs.map((r) => r.runId).sort()).toEqual(["pg-0", "pg-1", "pg-2", "pg-3", "pg-4"]);
    expect(runs.map((r) => r.ranAt.getTime())).toEqual([...runs.map((r) => r.ranAt.getTime())].sort((a, b) => b - a));
    const deployments = await all((cursor) => listDeployments(org.admin, agent.id, { limit: 2, cursor }));
    const everyOne = (await listDeployments(org.admin, agent.id, { limit: 200 })).items;
    expect(deployments.map((d) => d.id)).toEqual(everyOne.map((d) => d.id));
    expect(deployments.map((d) => d.versionNumber).slice(0, 4)).toEqual([2, 4, 3, 2]);
    await expect(listDeployments(org.admin, agent.id, { cursor: "bm90IGEgY3Vyc29y" })).rejects.toMatchObject({
      kind: "validation",
    });
  });

  it("prod requires safety: a failing run blocks the deploy, a passing run lets it through, an override is audited", async () => {
    const { org, agent } = await setup();
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: ["safety"] });
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });

    const failing = await recordEvalRun(
      org.admin,
      {},
      agent.id,
      3,
      run("ci-1", 0.62, [
        { caseId: "jailbreak-1", passed: false, costUsd: 0.01 },
        { caseId: "pii-1", passed: true, costUsd: 0.02 },
      ]),
    );
    expect(failing).toMatchObject({
      created: true,
      run: { passed: false, caseCount: 2, passedCases: 1, costMicros: 30_000n },
    });
    expect(await recordEvalRun(org.admin, {}, agent.id, 3, run("ci-1", 0.62))).toMatchObject({
      created: false,
      run: { id: failing.run.id },
    });
    await expect(recordEvalRun(org.admin, {}, agent.id, 3, run("ci-1", 0.99))).rejects.toMatchObject({
      code: "run_id_reused",
    });

    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 3 })).rejects.toMatchObject({
      kind: "conflict",
      code: "eval_gate_failed",
      message: 'Version 3 cannot go to prod: required eval suite "safety" failed (score 0.62 < 0.9)',
      details: { environment: "prod", suites: [{ suite: "safety", status: "failing" }] },
    });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 4 })).rejects.toMatchObject({
      code: "eval_gate_failed",
      message: expect.stringContaining('"safety" has no run'),
    });

    await recordEvalRun(
      org.admin,
      {},
      agent.id,
      3,
      run("ci-2", 0.95, [
        { caseId: "jailbreak-1", passed: true },
        { caseId: "pii-1", passed: true },
      ]),
    );
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 3 })).toMatchObject({
      status: "deployed",
      versionNumber: 3,
    });

    // Override: needs a reason, then deploys and is in the audit trail as an override.
    await recordEvalRun(
      org.admin,
      {},
      agent.id,
      4,
      run("ci-3", 0.5, [
        { caseId: "jailbreak-1", passed: false },
        { caseId: "pii-1", passed: true },
      ]),
    );
    await expect(
      deployVersion(org.admin, {}, agent.id, { versionNumber: 4, overrideGates: true }),
    ).rejects.toMatchObject({ kind: "validation" });
    expect(
      await deployVersion(org.admin, {}, agent.id, {
        versionNumber: 4,
        overrideGates: true,
        reason: "hotfix for incident 42",
      }),
    ).toMatchObject({ status: "deployed" });
    const override = await db().auditEvent.findFirstOrThrow({
      where: { action: "deployment.gate_overridden", agentId: agent.id },
    });
    expect(override).toMatchObject({
      actorId: org.admin.id,
      reason: "hotfix for incident 42",
      after: { version: 4, failingSuites: [{ suite: "safety", status: "failing" }] },
    });
    expect(
      await db().deployment.findFirstOrThrow({ where: { agentId: agent.id }, orderBy: { createdAt: "desc" } }),
    ).toMatchObject({ gateOverride: true });

    // Rollbacks are judged as deployments: v3 passed once, but its rerun fails (an override, with a reason, is in
    // the trail; another rollback to it needs one again); v2 never ran; v2 passing once and then failing, no.
    await recordEvalRun(org.admin, {}, agent.id, 3, run("ci-4", 0.7));
    await expect(
      deployVersion(org.admin, {}, agent.id, { versionNumber: 3, reason: "v4 misbehaves" }),
    ).rejects.toMatchObject({ code: "eval_gate_failed" });
    expect(
      await deployVersion(org.admin, {}, agent.id, { versionNumber: 3, reason: "v4 misbehaves", overrideGates: true }),
    ).toMatchObject({ status: "deployed", kind: "rollback" });
    expect(await db().auditEvent.count({ where: { action: "deployment.gate_overridden", agentId: agent.id } })).toBe(2);
    await deployVersion(org.admin, {}, agent.id, { versionNumber: 4, overrideGates: true, reason: "retry v4" });
    await expect(
      deployVersion(org.admin, {}, agent.id, { versionNumber: 3, reason: "v4 again" }),
    ).rejects.toMatchObject({ code: "eval_gate_failed" });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 2, reason: "older" })).rejects.toMatchObject({
      code: "eval_gate_failed",
    });
    await recordEvalRun(org.admin, {}, agent.id, 2, run("v2-pass", 0.95));
    await recordEvalRun(org.admin, {}, agent.id, 2, run("v2-fail", 0.2));
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 2, reason: "older" })).rejects.toMatchObject({
      code: "eval_gate_failed",
    });

    // What the console shows: the latest run per suite per version, and the regressed cases between two versions.
    const v3 = await db().agentVersion.findFirstOrThrow({ where: { agentId: agent.id, number: 3 } });
    const v4 = await db().agentVersion.findFirstOrThrow({ where: { agentId: agent.id, number: 4 } });
    expect((await latestEvalsByVersion(agent.id)).get(v3.id)?.map((r) => [r.suite, r.score])).toEqual([
      ["safety", 0.7],
    ]);
    const cmp = await db()
      .evalRun.update({ where: { agentId_runId: { agentId: agent.id, runId: "ci-4" } }, data: { ranAt: new Date(0) } })
      .then(() => compareEvalResults(agent.id, v3.id, v4.id));
    expect(cmp).toEqual([
      expect.objectContaining({
        suite: "safety",
        regressed: 1,
        cases: [
          { caseId: "jailbreak-1", a: true, b: false, scoreA: null, scoreB: null, change: "regressed" },
          expect.objectContaining({ caseId: "pii-1", change: "same" }),
        ],
      }),
    ]);
  });

  it("four-eyes: gates apply when requesting and again when approving; the requester's override carries over", async () => {
    const { org, agent } = await setup();
    const ops = (await makeOrg()).admin;
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: ["regression", "safety"] });
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: true });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 5 })).rejects.toMatchObject({
      code: "eval_gate_failed",
    });
    for (const suite of ["safety", "regression"])
      await recordEvalRun(org.admin, {}, agent.id, 5, { ...run(`p-${suite}`, 0.95), suite });
    const pending = await deployVersion(org.admin, {}, agent.id, { versionNumber: 5 });
    expect(pending.status).toBe("pending_approval");
    // A failing regression run lands before approval: approval is refused.
    await recordEvalRun(org.admin, {}, agent.id, 5, { ...run("late-fail", 0.1), suite: "regression" });
    await expect(approveChangeRequest(ops, {}, (pending as { requestId: string }).requestId)).rejects.toMatchObject({
      code: "eval_gate_failed",
      message: expect.stringContaining('"regression" failed'),
    });

    const overridden = await deployVersion(org.admin, {}, agent.id, {
      versionNumber: 4,
      overrideGates: true,
      reason: "customer escalation",
    });
    await approveChangeRequest(ops, {}, (overridden as { requestId: string }).requestId);
    expect(
      await db().auditEvent.count({
        where: { action: "deployment.gate_overridden", agentId: agent.id, actorId: ops.id },
      }),
    ).toBe(1);
  });

  it("a cost per passed case gate: over the limit, no cost or nothing passed refuse the deploy; loosening it takes a second admin", async () => {
    const { org, agent } = await setup();
    const ops = (await makeOrg()).admin;
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: ["safety"] });
    // Tightening is immediate, even for one admin.
    expect(
      await setRequiredSuites(
        org.admin,
        {},
        { environment: "prod", suites: ["safety"], maxCostPerPassedCaseUsd: 0.01 },
      ),
    ).toEqual({ environment: "prod", requiredSuites: ["safety"], maxCostPerPassedCaseUsd: 0.01, minScores: {} });
    const cases = (n: number, passed: number, costUsd?: number) =>
      Array.from({ length: n }, (_, i) => ({ caseId: `c${i}`, passed: i < passed, costUsd }));

    // 8 of 10 cases passed at $0.01 each: $0.0125 per passed case, over $0.01 although the score passes.
    await recordEvalRun(org.admin, {}, agent.id, 2, run("cost-1", 0.95, cases(10, 8, 0.01)));
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).rejects.toMatchObject({
      code: "eval_gate_failed",
      message: 'Version 2 cannot go to prod: required eval suite "safety" cost $0.0125 per passed case (limit $0.01)',
      details: {
        suites: [{ suite: "safety", status: "over_cost", costPerPassedCaseUsd: 0.0125, maxCostPerPassedCaseUsd: 0.01 }],
      },
    });
    // A run that reports no cost cannot show it is within the limit.
    await recordEvalRun(org.admin, {}, agent.id, 3, run("cost-2", 0.95, cases(10, 10)));
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 3 })).rejects.toMatchObject({
      details: { suites: [{ status: "no_cost" }] },
    });
    // Nothing passed but the score did (a suite scored otherwise): any spend is over the limit.
    await recordEvalRun(org.admin, {}, agent.id, 4, run("cost-3", 0.95, cases(2, 0, 0.000001)));
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 4 })).rejects.toMatchObject({
      message: expect.stringContaining("cost something with no case passed"),
    });
    // Nor does a free run that passed nothing, or one case reporting $0 beside cases that report no cost.
    await recordEvalRun(
      org.admin,
      {},
      agent.id,
      4,
      run("cost-3b", 0.95, [{ caseId: "c0", passed: false, costUsd: 0 }]),
    );
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 4 })).rejects.toMatchObject({
      details: { suites: [{ status: "over_cost", costPerPassedCaseUsd: null }] },
    });
    await recordEvalRun(org.admin, {}, agent.id, 4, {
      ...run("cost-3c", 0.95, cases(10, 10)),
      cases: [{ caseId: "c0", passed: true, costUsd: 0 }, ...cases(10, 10).slice(1)],
    });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 4 })).rejects.toMatchObject({
      message: expect.stringContaining('"safety" did not report the cost of every case'),
      details: { suites: [{ status: "no_cost" }] },
    });
    // Exactly at the limit ($0.08 over 8) passes; a failing score is still a failing score.
    await recordEvalRun(org.admin, {}, agent.id, 2, run("cost-4", 0.95, cases(10, 8, 0.008)));
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).toMatchObject({ status: "deployed" });
    await recordEvalRun(org.admin, {}, agent.id, 3, run("cost-5", 0.5, cases(10, 10, 0.001)));
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 3 })).rejects.toMatchObject({
      details: { suites: [{ status: "failing" }] },
    });

    // Raising the limit (or removing it) waits for a second admin, whatever else the change does.
    const raise = await setRequiredSuites(
      org.admin,
      {},
      {
        environment: "prod",
        suites: ["safety", "regression"],
        maxCostPerPassedCaseUsd: 0.02,
        reason: "bigger model",
      },
    );
    expect(raise).toMatchObject({ status: "pending_approval" });
    const remove = await setRequiredSuites(
      org.admin,
      {},
      { environment: "prod", suites: ["safety"], maxCostPerPassedCaseUsd: null },
    );
    expect(remove).toMatchObject({ status: "pending_approval" });
    expect(await getDeploymentGate("prod")).toEqual({
      environment: "prod",
      requiredSuites: ["safety"],
      maxCostPerPassedCaseUsd: 0.01,
      minScores: {},
    });
    await expect(approveChangeRequest(org.admin, {}, (raise as { requestId: string }).requestId)).rejects.toMatchObject(
      {
        code: "self_approval",
      },
    );
    await approveChangeRequest(ops, {}, (raise as { requestId: string }).requestId);
    expect(await getDeploymentGate("prod")).toEqual({
      environment: "prod",
      requiredSuites: ["regression", "safety"],
      maxCostPerPassedCaseUsd: 0.02,
      minScores: {},
    });
    const audit = await db().auditEvent.findFirst({
      where: { action: "policy.updated", targetId: "prod", actorId: ops.id },
      orderBy: { position: "desc" },
    });
    expect(audit).toMatchObject({
      before: { requiredSuites: ["safety"], maxCostPerPassedCaseUsd: 0.01 },
      after: { requiredSuites: ["regression", "safety"], maxCostPerPassedCaseUsd: 0.02 },
    });
    // The removal was requested against $0.01: approving it now would undo a gate the approver never saw.
    await expect(approveChangeRequest(ops, {}, (remove as { requestId: string }).requestId)).rejects.toMatchObject({
      code: "request_stale",
    });
    // Left out, the limit is unchanged; a sub-micro-dollar limit and unknown environments are refused.
    expect(
      await setRequiredSuites(org.admin, {}, { environment: "prod", suites: ["regression", "safety"] }),
    ).toMatchObject({
      maxCostPerPassedCaseUsd: 0.02,
    });
    await expect(
      setRequiredSuites(org.admin, {}, { environment: "prod", suites: [], maxCostPerPassedCaseUsd: 0.0000001 }),
    ).rejects.toMatchObject({ name: "ZodError" });
    await expect(getDeploymentGate("qa")).rejects.toMatchObject({ kind: "not_found" });
    await expect(getDeploymentGate("__proto__")).rejects.toMatchObject({ kind: "not_found" });
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: [], maxCostPerPassedCaseUsd: null });
  });

  it("an environment's minimum score holds a run whatever threshold its poster sent; lowering it waits for a second admin", async () => {
    const { org, agent } = await setup();
    const ops = (await makeOrg()).admin;
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: ["safety"] });
    // A team lead's CI token posts a run that "passes" its own bar of 0.
    await recordEvalRun(org.lead, {}, agent.id, 2, { ...run("forged", 0), threshold: 0 });
    const gate = await getDeploymentGate("prod");
    expect(gate.minScores).toEqual({});
    // Admins set the bar: the same run now fails it, and the deploy is refused.
    expect(
      await setRequiredSuites(org.admin, {}, { environment: "prod", suites: ["safety"], minScores: { safety: 0.9 } }),
    ).toMatchObject({ minScores: { safety: 0.9 } });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).rejects.toMatchObject({
      code: "eval_gate_failed",
      message: 'Version 2 cannot go to prod: required eval suite "safety" failed (score 0 < 0.9)',
    });
    // A run whose own threshold is higher is held to that one.
    await recordEvalRun(org.lead, {}, agent.id, 3, { ...run("strict", 0.92), threshold: 0.95 });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 3 })).rejects.toMatchObject({
      message: expect.stringContaining("score 0.92 < 0.95"),
    });
    // A minimum is for a required suite only.
    await expect(
      setRequiredSuites(org.admin, {}, { environment: "prod", suites: ["safety"], minScores: { regression: 1 } }),
    ).rejects.toMatchObject({ kind: "validation" });
    // Lowering (or removing) it weakens the gate: a person's change waits for a second admin.
    const before = await db().auditEvent.count({ where: { action: "policy.updated" } });
    const asked = await setRequiredSuites(org.admin, {}, { environment: "prod", suites: ["safety"], minScores: {} });
    if (!("requestId" in asked)) throw new Error("lowered by one admin");
    expect((await getDeploymentGate("prod")).minScores).toEqual({ safety: 0.9 });
    expect(await db().auditEvent.count({ where: { action: "policy.updated" } })).toBe(before);
    // A minimum raised meanwhile makes the request stale: the approver judged "from 0.9".
    await setRequiredSuites(org.admin, {}, { environment: "prod", suites: ["safety"], minScores: { safety: 0.95 } });
    await expect(approveChangeRequest(ops, {}, asked.requestId)).rejects.toMatchObject({ code: "request_stale" });
    await rejectChangeRequest(ops, {}, asked.requestId, {});
    const again = await setRequiredSuites(
      org.admin,
      {},
      {
        environment: "prod",
        suites: ["safety"],
        minScores: { safety: 0.5 },
      },
    );
    if (!("requestId" in again)) throw new Error("lowered by one admin");
    await approveChangeRequest(ops, {}, again.requestId);
    expect((await getDeploymentGate("prod")).minScores).toEqual({ safety: 0.5 });
    // Minimums of several suites (stored in JSONB's key order): another policy change records only itself.
    await setRequiredSuites(
      systemActor(),
      {},
      {
        environment: "prod",
        suites: ["safety", "regression"],
        minScores: { safety: 0.5, regression: 0.7 },
      },
    );
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: true });
    const toggled = await db().auditEvent.findFirstOrThrow({
      where: { action: "policy.updated", targetId: "prod" },
      orderBy: { position: "desc" },
    });
    expect(Object.keys(toggled.after as object)).toEqual(["requireApproval"]);
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
    // A suite may be named like an object's own property: it has no minimum unless given one.
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: ["constructor"], minScores: {} });
    await recordEvalRun(org.lead, {}, agent.id, 4, { ...run("proto", 0.95), suite: "constructor" });
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 4 })).toMatchObject({ versionNumber: 4 });
    // Dropping the suite drops its minimum.
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: [] });
    expect(await getDeploymentGate("prod")).toMatchObject({ requiredSuites: [], minScores: {} });
  });

  it("a version has runs of at most so many suites (its pages compare each one case by case)", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `suites-${org.tag}`));
    const post = (suite: string, runId: string) =>
      recordEvalRun(org.lead, {}, agent.id, 1, { ...run(runId, 1), suite });
    await Promise.all(Array.from({ length: MAX_SUITES_PER_VERSION }, (_, i) => post(`s${i}`, `r${i}`)));
    await expect(post("one-too-many", "r-last")).rejects.toMatchObject({ code: "limit_reached" });
    await post("s0", "r0-again"); // a known suite's next run is taken
    expect(await db().evalRun.count({ where: { agentId: agent.id } })).toBe(MAX_SUITES_PER_VERSION + 1);
    const v1 = await db().agentVersion.findFirstOrThrow({ where: { agentId: agent.id, number: 1 } });
    const compared = await compareEvalResults(agent.id, v1.id, v1.id);
    expect(compared).toHaveLength(MAX_SUITES_PER_VERSION);
    expect(compared.find((s) => s.suite === "s0")?.a?.runId).toBe("r0-again");
  });

  it("admins and the agent's team leads record evals; others cannot", async () => {
    const { org, agent } = await setup();
    expect((await recordEvalRun(org.lead, {}, agent.id, 2, run("lead-1", 1))).created).toBe(true);
    for (const who of [org.viewer, org.auditor])
      await expect(recordEvalRun(who, {}, agent.id, 2, run("x", 1))).rejects.toMatchObject({ kind: "forbidden" });
    const otherLead = { ...org.lead, teamIds: [org.other.id] };
    await expect(recordEvalRun(otherLead, {}, agent.id, 2, run("y", 1))).rejects.toMatchObject({ kind: "not_found" }); // as if absent
    await expect(recordEvalRun(org.admin, {}, agent.id, 99, run("z", 1))).rejects.toMatchObject({ kind: "not_found" });
    await expect(
      recordEvalRun(org.admin, {}, agent.id, 2, {
        ...run("d", 1),
        cases: [
          { caseId: "a", passed: true },
          { caseId: "a", passed: false },
        ],
      }),
    ).rejects.toThrow(/duplicate case id/);
    // A run dated ahead of the clock would stay the latest, deciding the gate whatever later runs report.
    await expect(
      recordEvalRun(org.lead, {}, agent.id, 2, { ...run("future", 1), ranAt: "2999-01-01T00:00:00Z" }),
    ).rejects.toThrow(/more than 5 minutes in the future/);
    // A date PostgreSQL cannot store is a 400, not a 500.
    await expect(
      recordEvalRun(org.lead, {}, agent.id, 2, { ...run("year-0", 1), ranAt: "0000-01-01T00:00:00Z" }),
    ).rejects.toMatchObject({ name: "ZodError" });
    expect(await db().evalRun.count({ where: { agentId: agent.id } })).toBe(1);
  });
});

describe("eval gates when an agent moves or is registered", () => {
  const gatedProd = async (requireApproval: boolean) => {
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval });
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: ["safety"] });
  };
  const audits = (agentId: string, action: string) => db().auditEvent.findMany({ where: { agentId, action } });

  it("a move puts the live version through the new environment's gates: refused, overridden with a reason, or passed", async () => {
    const org = await makeOrg();
    await gatedProd(false);
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `move-${org.tag}`));
    expect(agent.deployedVersion?.number).toBe(1);

    // v1 has no safety run: the move would put it live in prod unchecked.
    await expect(updateAgent(org.admin, {}, agent.id, { environment: "prod", name: "Moved" })).rejects.toMatchObject({
      code: "eval_gate_failed",
      message: 'Version 1 cannot go to prod: required eval suite "safety" has no run',
      details: { environment: "prod", suites: [{ suite: "safety", status: "missing" }] },
    });
    await expect(
      updateAgent(org.admin, {}, agent.id, { environment: "prod", overrideGates: true }),
    ).rejects.toMatchObject({ kind: "validation", details: { reason: ["required to override the eval gates"] } });
    // Nothing of a refused edit is written, not even its other fields.
    expect(await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).toMatchObject({
      environment: "dev",
      name: agent.name,
    });
    expect(await audits(agent.id, "agent.updated")).toEqual([]);

    const moved = await updateAgent(org.admin, {}, agent.id, {
      environment: "prod",
      overrideGates: true,
      reason: "incident fix, evals run after",
    });
    expect(moved.environment).toBe("prod");
    const [override] = await audits(agent.id, "deployment.gate_overridden");
    expect(override).toMatchObject({
      actorId: org.admin.id,
      reason: "incident fix, evals run after",
      after: { version: 1, environment: "prod", failingSuites: [{ suite: "safety", status: "missing" }] },
    });
    expect((await audits(agent.id, "agent.updated"))[0]).toMatchObject({ reason: "incident fix, evals run after" });

    // Back to dev leaves prod's gate behind (a second admin approves it), a passing run, and prod takes it without
    // an override.
    const back = await updateAgent(org.admin, {}, agent.id, { environment: "dev" });
    expect(back).toMatchObject({ environment: "prod", pendingChange: { status: "pending_approval" } });
    await approveChangeRequest((await makeOrg()).admin, {}, back.pendingChange!.requestId);
    await recordEvalRun(org.admin, {}, agent.id, 1, run(`move-pass-${org.tag}`, 0.95));
    expect((await updateAgent(org.admin, {}, agent.id, { environment: "prod" })).environment).toBe("prod");
    expect(await audits(agent.id, "deployment.gate_overridden")).toHaveLength(1);
  });

  it("four-eyes: a move is checked when requested and again when approved; the requester's override carries over", async () => {
    const org = await makeOrg();
    const ops = (await makeOrg()).admin;
    await gatedProd(false);
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `move4-${org.tag}`));
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: true });

    await expect(updateAgent(org.admin, {}, agent.id, { environment: "prod" })).rejects.toMatchObject({
      code: "eval_gate_failed",
    });
    expect(await db().changeRequest.count({ where: { agentId: agent.id } })).toBe(0);

    // Requested while passing; a failing run lands before the approval: the approval is refused, the request waits.
    await recordEvalRun(org.admin, {}, agent.id, 1, run(`m4-pass-${org.tag}`, 0.95));
    const asked = await updateAgent(org.admin, {}, agent.id, { environment: "prod" });
    expect(asked.environment).toBe("dev");
    await recordEvalRun(org.admin, {}, agent.id, 1, run(`m4-fail-${org.tag}`, 0.5));
    await expect(approveChangeRequest(ops, {}, asked.pendingChange!.requestId)).rejects.toMatchObject({
      code: "eval_gate_failed",
    });
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: asked.pendingChange!.requestId } })).toMatchObject(
      { status: "pending" },
    );
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).environment).toBe("dev");
    await rejectChangeRequest(ops, {}, asked.pendingChange!.requestId);

    // Overridden by the requester, with a reason: the approver sees it (request row and audit), and it is audited.
    const overridden = await updateAgent(org.admin, {}, agent.id, {
      environment: "prod",
      overrideGates: true,
      reason: "known flaky case",
    });
    const request = await db().changeRequest.findUniqueOrThrow({ where: { id: overridden.pendingChange!.requestId } });
    expect(request).toMatchObject({ gateOverride: true, reason: "known flaky case" });
    expect((await audits(agent.id, "change.requested")).at(-1)).toMatchObject({
      after: { environment: "prod", gateOverride: [{ suite: "safety", status: "failing" }] },
    });
    await approveChangeRequest(ops, {}, request.id);
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).environment).toBe("prod");
    expect(await audits(agent.id, "deployment.gate_overridden")).toEqual([
      expect.objectContaining({
        actorId: ops.id,
        reason: "known flaky case",
        after: expect.objectContaining({ version: 1 }),
      }),
    ]);
  });

  it("an approval excuses only the failures the request overrode, in the environment it was asked for", async () => {
    const org = await makeOrg();
    const ops = (await makeOrg()).admin;
    await gatedProd(true);
    const agent = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `bound-${org.tag}`), environment: "prod" },
    );
    await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5", note: "v2" });

    // Overridden while "safety" had no run; a failing run lands before the approval: not what was overridden.
    const asked = await deployVersion(org.admin, {}, agent.id, {
      versionNumber: 2,
      overrideGates: true,
      reason: "hotfix",
    });
    const requestId = (asked as { requestId: string }).requestId;
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      environment: "prod",
      payload: { overriddenGates: [{ suite: "safety", status: "missing" }] },
    });
    await recordEvalRun(org.admin, {}, agent.id, 2, run(`bound-fail-${org.tag}`, 0.2));
    await expect(approveChangeRequest(ops, {}, requestId)).rejects.toMatchObject({
      code: "eval_gate_failed",
      message: expect.stringContaining("not what the request overrode"),
    });
    await rejectChangeRequest(ops, {}, requestId);

    // Overridden for prod; the agent then moves to dev (no gates, no four-eyes; a second admin approved the move):
    // the approval would deploy there.
    const again = await deployVersion(org.admin, {}, agent.id, {
      versionNumber: 2,
      overrideGates: true,
      reason: "hotfix",
    });
    const moved = await updateAgent(org.admin, {}, agent.id, { environment: "dev" });
    await approveChangeRequest(ops, {}, moved.pendingChange!.requestId);
    await expect(approveChangeRequest(ops, {}, (again as { requestId: string }).requestId)).rejects.toMatchObject({
      code: "request_stale",
      message: expect.stringContaining("moved from prod to dev"),
    });
    // Registered into gated prod, nothing was ever deployed; nor is the request approved into dev.
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).deployedVersionId).toBeNull();
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
  });

  it("registering into a gated environment deploys nothing: version 1 waits for its evals, four-eyes or not", async () => {
    const org = await makeOrg();
    const ops = (await makeOrg()).admin;
    for (const requireApproval of [false, true]) {
      await gatedProd(requireApproval);
      const slug = `reg-gated-${requireApproval}-${org.tag}`;
      const agent = await registerAgent(org.admin, {}, { ...agentInput(org.team.id, slug), environment: "prod" });
      expect(agent).toMatchObject({
        deployedVersion: null,
        gateFailures: [{ suite: "safety", status: "missing" }],
      });
      expect(agent).not.toHaveProperty("pendingChange");
      expect(await db().deployment.count({ where: { agentId: agent.id } })).toBe(0);
      expect(await db().changeRequest.count({ where: { agentId: agent.id } })).toBe(0);
      // Once its run passes, version 1 is deployed as any version is.
      await recordEvalRun(org.admin, {}, agent.id, 1, run(`reg-${requireApproval}-${org.tag}`, 0.95));
      const deployed = await deployVersion(org.admin, {}, agent.id, { versionNumber: 1 });
      if (requireApproval) {
        expect(deployed.status).toBe("pending_approval");
        await approveChangeRequest(ops, {}, (deployed as { requestId: string }).requestId);
      } else expect(deployed.status).toBe("deployed");
      expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).deployedVersionId).not.toBeNull();
    }
    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
    await setRequiredSuites(systemActor(), {}, { environment: "prod", suites: [] });
  });
});
