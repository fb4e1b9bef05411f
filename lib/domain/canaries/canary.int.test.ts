import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { systemActor, type UserActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { retireAgent } from "../agents/retire-agent";
import { updateAgent } from "../agents/update-agent";
import { approveChangeRequest } from "../changes/decide-change-request";
import { deployVersion } from "../deployments/deploy-version";
import { setEnvironmentPolicy } from "../deployments/policies";
import { createOutcomeType } from "../outcomes/outcome-types";
import { reportOutcomes } from "../outcomes/report-outcomes";
import { getRuntimeConfig } from "../runtime/get-runtime-config";
import { ingestUsage } from "../usage/ingest-usage";
import { createUser } from "../users/create-user";
import { createAgentVersion } from "../versions/create-agent-version";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { rollBackCanary } from "./end-canary";
import { checkCanaries } from "./monitor";
import { promoteCanary } from "./promote-canary";
import { getCanary } from "./queries";
import { startCanary } from "./start-canary";

// A canary at 20 %: routing keys split by a stable hash, usage compared by the version it ran on, and the guard rolling
// it back on a regression in cost per call or error rate (audited as the system, with a webhook).

const KEYS = Array.from({ length: 500 }, (_, i) => `session-${i}`);
let seq = 0;
const event = (version: number, costUsd: number, status: "ok" | "error" = "ok") => ({
  id: `canary-${seq++}`,
  timestamp: new Date().toISOString(),
  model: "gpt-5",
  inputTokens: 100,
  outputTokens: 10,
  costUsd,
  latencyMs: 100 * version,
  status,
  version,
});

/** Puts the agent's latest canary back to running (as if it had not been ended), to reach the paths below. */
async function reopenLatest(agentId: string) {
  const c = await db().canary.findFirstOrThrow({ where: { agentId }, orderBy: { startedAt: "desc" } });
  await db().canary.update({ where: { id: c.id }, data: { status: "running", endedAt: null } });
}

async function agentWithTwoVersions(tag: string) {
  const org = await makeOrg();
  const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `${tag}-${org.tag}`));
  await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5", systemPrompt: "v2" });
  return { org, agent };
}

describe("canary deployments", () => {
  it("an outcome guard rolls back a canary whose cost per successful outcome rises, though its cost per call holds", async () => {
    const { org, agent } = await agentWithTwoVersions("outcome-guard");
    const type = `ticket.guarded.${org.tag}`;
    await createOutcomeType(org.admin, {}, { name: type, unit: "ticket", agentIds: [] });
    const guard = {
      versionNumber: 2,
      percent: 50,
      minCalls: 10,
      outcomeType: type,
      maxCostPerSuccessIncreasePct: 25,
      minOutcomes: 10,
    };
    // Both or neither; a type the agent does not report is refused, naming the field; nothing starts.
    await expect(
      startCanary(org.admin, {}, agent.id, { ...guard, maxCostPerSuccessIncreasePct: undefined }),
    ).rejects.toMatchObject({ name: "ZodError" });
    await expect(startCanary(org.admin, {}, agent.id, guard)).rejects.toMatchObject({
      kind: "validation",
      details: { outcomeType: [expect.stringContaining("not listed")] },
    });
    expect(await db().canary.count({ where: { agentId: agent.id } })).toBe(0);
    const t = await db().outcomeType.findFirstOrThrow({ where: { name: type } });
    await db().outcomeTypeReporter.create({ data: { outcomeTypeId: t.id, agentId: agent.id } });
    await startCanary(org.admin, {}, agent.id, guard);

    // Same cost per call on both sides ($0.01), but v2 needs twice the tasks' calls per success: 10 tasks each, v1
    // succeeds on all, v2 on half.
    const events: ReturnType<typeof event>[] = [];
    const outcomes: { id: string; type: string; taskId: string; success: boolean; version: number }[] = [];
    for (const v of [1, 2])
      for (let i = 0; i < 10; i++) {
        const taskId = `v${v}-task-${i}`;
        for (let k = 0; k < 2; k++) events.push({ ...event(v, 0.01), taskId } as ReturnType<typeof event>);
        outcomes.push({ id: `o-${seq++}`, type, taskId, success: v === 1 || i % 2 === 0, version: v });
      }
    await ingestUsage(agent.id, { events });
    const early = await getCanary(org.admin, agent.id);
    expect(early?.outcomeGuard).toEqual({ outcomeType: type, maxCostPerSuccessIncreasePct: 25, minOutcomes: 10 });
    expect(early?.comparison?.breach).toBeNull(); // no outcomes yet
    await reportOutcomes(agent.id, { outcomes });
    const c = await getCanary(org.admin, agent.id);
    expect(c?.comparison?.canary.outcomes).toEqual({ outcomes: 10, successes: 5, costPerSuccessMicros: 40_000 });
    expect(c?.comparison?.stable.outcomes).toEqual({ outcomes: 10, successes: 10, costPerSuccessMicros: 20_000 });
    expect(c?.comparison?.breach).toBe("cost per successful outcome +100 % (limit +25 %)");
    expect(await checkCanaries()).toContain(c!.id);
    expect((await db().canary.findUniqueOrThrow({ where: { id: c!.id } })).status).toBe("rolled_back");
  });

  it("splits routing keys stably, compares by version and rolls back on a cost regression", async () => {
    const { org, agent } = await agentWithTwoVersions("canary");
    await createWebhookEndpoint(org.admin, {}, { name: "ops", url: "https://hooks.example.com/acp" });
    await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 20, minCalls: 20, reason: "try gpt-5" });

    // Routing: about a fifth of the keys get version 2, always the same ones; no key gets stable.
    const served = new Map<string, number>();
    for (const k of KEYS) served.set(k, (await getRuntimeConfig(agent.id, k)).body.version.number);
    const share = [...served.values()].filter((v) => v === 2).length / KEYS.length;
    expect(share).toBeGreaterThan(0.14);
    expect(share).toBeLessThan(0.26);
    for (const k of KEYS.slice(0, 50))
      expect((await getRuntimeConfig(agent.id, k)).body.version.number).toBe(served.get(k));
    const noKey = await getRuntimeConfig(agent.id);
    expect(noKey.body).toMatchObject({ version: { number: 1 }, canary: { version: 2, percent: 20, serving: false } });
    const canaryKey = KEYS.find((k) => served.get(k) === 2)!;
    const onCanary = await getRuntimeConfig(agent.id, canaryKey);
    expect(onCanary.body.config.model).toBe("gpt-5");
    expect(onCanary.etag).not.toBe(noKey.etag);

    // Each key's call reports the version it ran on: +10 % per call on the canary, within the +25 % guard.
    const send = (events: ReturnType<typeof event>[]) => ingestUsage(agent.id, { events }, {});
    await send(KEYS.map((k) => (served.get(k) === 2 ? event(2, 0.011) : event(1, 0.01))));
    expect(await checkCanaries()).toEqual([]);
    const live = (await getCanary(org.viewer, agent.slug))!;
    const canaryCalls = [...served.values()].filter((v) => v === 2).length;
    expect(live.status).toBe("running");
    expect(live.comparison).toMatchObject({
      canary: { versionNumber: 2, calls: canaryCalls, costPerCallMicros: 11_000, errorRate: 0, avgLatencyMs: 200 },
      stable: { versionNumber: 1, calls: KEYS.length - canaryCalls, costPerCallMicros: 10_000, avgLatencyMs: 100 },
      breach: null,
    });

    // A regression: the canary's calls now cost three times as much. The guard rolls it back.
    await send(Array.from({ length: canaryCalls }, () => event(2, 0.03)));
    const costPerCall = Math.round((canaryCalls * 11_000 + canaryCalls * 30_000) / (2 * canaryCalls));
    expect(await checkCanaries()).toHaveLength(1);
    const ended = (await getCanary(org.admin, agent.id))!;
    expect(ended).toMatchObject({ status: "rolled_back", comparison: { canary: { costPerCallMicros: costPerCall } } });
    expect(ended.endedReason).toMatch(/^Guard breached: cost per call \+105 % \(limit \+25 %\)$/);
    for (const k of KEYS.slice(0, 100)) expect((await getRuntimeConfig(agent.id, k)).body.version.number).toBe(1);
    expect((await getRuntimeConfig(agent.id, canaryKey)).body.canary).toBeUndefined();

    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "deployment.canary_rolled_back", agentId: agent.id },
    });
    expect(audit).toMatchObject({ actorType: "system", actorLabel: "canary guard" });
    expect(audit.after).toMatchObject({
      version: 2,
      stableVersion: 1,
      result: { breach: expect.stringContaining("cost") },
    });
    const hook = await db().webhookDelivery.findFirstOrThrow({ where: { eventType: "canary.rolled_back" } });
    expect(hook.payload).toMatchObject({ data: { agentId: agent.id, version: 2, automatic: true } });
    expect(await checkCanaries()).toEqual([]); // once
  });

  it("rolls back on errors, ends on promotion or another deployment, and refuses what it must", async () => {
    const { org, agent } = await agentWithTwoVersions("canary2");
    await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5-mini", systemPrompt: "v3" });
    await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 50, minCalls: 10 });
    await expect(startCanary(org.admin, {}, agent.id, { versionNumber: 3, percent: 10 })).rejects.toMatchObject({
      code: "canary_conflict",
    });
    // Error rate 30 % against 0 %: over the 2-point guard.
    const events = [
      ...Array.from({ length: 10 }, (_, i) => event(2, 0.01, i < 3 ? "error" : "ok")),
      ...Array.from({ length: 10 }, () => event(1, 0.01)),
    ];
    await ingestUsage(agent.id, { events }, {});
    expect(await checkCanaries()).toHaveLength(1);
    expect((await getCanary(org.admin, agent.id))!.endedReason).toContain("error rate 30.0 % vs 0.0 %");

    // Promoted: its version deployed to everyone, the canary ended as promoted, both audited.
    await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 10 });
    await expect(promoteCanary(org.viewer, {}, agent.id)).rejects.toMatchObject({ kind: "forbidden" });
    expect(await promoteCanary(org.admin, {}, agent.id, { reason: "looks good" })).toMatchObject({
      status: "deployed",
      versionNumber: 2,
    });
    expect((await getCanary(org.admin, agent.id))!.status).toBe("promoted");
    expect((await getRuntimeConfig(agent.id, "any")).body.version.number).toBe(2);
    await expect(promoteCanary(org.admin, {}, agent.id)).rejects.toMatchObject({ code: "canary_conflict" });

    // Another deployment while a canary runs ends it as aborted; by hand, a rollback needs a running canary.
    await startCanary(org.admin, {}, agent.id, { versionNumber: 3, percent: 10 });
    await deployVersion(org.admin, {}, agent.id, { versionNumber: 1, reason: "back to basics" });
    expect((await getCanary(org.admin, agent.id))!.status).toBe("aborted");
    await expect(rollBackCanary(org.admin, {}, agent.id, {})).rejects.toMatchObject({ code: "canary_conflict" });
    await startCanary(org.admin, {}, agent.id, { versionNumber: 3, percent: 10 });
    await expect(rollBackCanary(org.lead, {}, agent.id, {})).rejects.toMatchObject({ kind: "forbidden" });
    expect(await rollBackCanary(org.admin, {}, agent.id, { reason: "not now" })).toMatchObject({
      status: "rolled_back",
      endedReason: "not now",
    });

    // Refused: the live version, a missing one, bad shares; a prod agent needs four-eyes; nothing written.
    const before = await db().canary.count({ where: { agentId: agent.id } });
    await expect(startCanary(org.admin, {}, agent.id, { versionNumber: 1, percent: 10 })).rejects.toMatchObject({
      code: "already_deployed",
    });
    await expect(startCanary(org.admin, {}, agent.id, { versionNumber: 9, percent: 10 })).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 100 })).rejects.toThrow();
    await expect(startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 0 })).rejects.toThrow();
    expect(await db().canary.count({ where: { agentId: agent.id } })).toBe(before);
    // Four-eyes on dev (this file's database only, for a moment): a person's start opens a request instead; the
    // canary starts when another admin approves it, checked again then.
    await setEnvironmentPolicy(org.admin, {}, { environment: "dev", requireApproval: true });
    const u = await createUser(systemActor(), {}, { email: `ops-${org.tag}@test.local`, name: "Ops", role: "admin" });
    const ops: UserActor = { type: "user", id: u.id, label: u.email, role: "admin", teamIds: [] };
    try {
      const asked = { versionNumber: 2, percent: 30, maxCostIncreasePct: 10, minCalls: 7, reason: "cheaper prompt" };
      const pending = await startCanary(org.admin, {}, agent.id, asked);
      expect(pending).toMatchObject({ status: "pending_approval" });
      const requestId = (pending as { requestId: string }).requestId;
      expect(await db().canary.count({ where: { agentId: agent.id } })).toBe(before);
      await expect(approveChangeRequest(org.admin, {}, requestId)).rejects.toMatchObject({ code: "self_approval" });
      await approveChangeRequest(ops, {}, requestId);
      const started = (await getCanary(org.admin, agent.id))!;
      expect(started).toMatchObject({ status: "running", versionNumber: 2, percent: 30, maxCostIncreasePct: 10 });
      expect(started.minCalls).toBe(7);
      const audit = await db().auditEvent.findFirstOrThrow({
        where: { action: "deployment.canary_started", agentId: agent.id },
        orderBy: { position: "desc" },
      });
      expect(audit).toMatchObject({ actorId: ops.id, reason: "cheaper prompt" });
      expect(audit.after).toMatchObject({ approval: { requestId, requestedById: org.admin.id } });
      // While one runs, another is refused at once; a request is not approved once the live version has changed.
      const second = (await startCanary(org.admin, {}, agent.id, { versionNumber: 3, percent: 10 }).catch(
        (e) => e,
      )) as {
        code?: string;
      };
      expect(second.code).toBe("canary_conflict");
      await rollBackCanary(org.admin, {}, agent.id, {});
      const stale = (await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 10 })) as {
        requestId: string;
      };
      // One request at a time: a second waits for the first to be decided.
      await expect(startCanary(org.admin, {}, agent.id, { versionNumber: 3, percent: 10 })).rejects.toMatchObject({
        code: "canary_conflict",
      });
      await db().agent.update({
        where: { id: agent.id },
        data: {
          deployedVersionId: (await db().agentVersion.findFirstOrThrow({ where: { agentId: agent.id, number: 3 } })).id,
        },
      });
      const count = await db().canary.count({ where: { agentId: agent.id } });
      await expect(approveChangeRequest(ops, {}, stale.requestId)).rejects.toMatchObject({ code: "request_stale" });
      expect(await db().canary.count({ where: { agentId: agent.id } })).toBe(count);
      expect((await db().changeRequest.findUniqueOrThrow({ where: { id: stale.requestId } })).status).toBe("pending");
    } finally {
      await setEnvironmentPolicy(systemActor("test"), {}, { environment: "dev", requireApproval: false });
    }
  });

  it("does not outlive the rules it started under, nor let a rolled back version go live later", async () => {
    const { org, agent } = await agentWithTwoVersions("canary4");
    // Moving the agent to another environment ends it.
    await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 50 });
    await updateAgent(org.admin, {}, agent.id, { environment: "staging" });
    expect((await getCanary(org.admin, agent.id))!).toMatchObject({
      status: "aborted",
      endedReason: "The agent moved to staging",
    });
    // Its environment's policy turning stricter ends it.
    await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 50, minCalls: 5 });
    await setEnvironmentPolicy(org.admin, {}, { environment: "staging", requireApproval: true });
    expect((await getCanary(org.admin, agent.id))!.status).toBe("aborted");
    // Unpriced calls are not $0: a canary on a model nobody priced is not judged on cost.
    await setEnvironmentPolicy(systemActor("test"), {}, { environment: "staging", requireApproval: false });
    await startCanary(org.admin, {}, agent.id, { versionNumber: 2, percent: 50, minCalls: 5 });
    const unpriced = (v: number) => ({ ...event(v, 0), costUsd: undefined, model: `unpriced-${org.tag}` });
    await ingestUsage(
      agent.id,
      { events: [...Array.from({ length: 5 }, () => unpriced(2)), ...Array.from({ length: 5 }, () => event(1, 0.01))] },
      {},
    );
    expect(await checkCanaries()).toEqual([]);
    expect((await getCanary(org.admin, agent.id))!.comparison!.canary).toMatchObject({
      calls: 5,
      costPerCallMicros: null,
    });
    // A promotion waiting for four-eyes is rejected when the guard rolls the canary back.
    await setEnvironmentPolicy(org.admin, {}, { environment: "staging", requireApproval: true }); // ends it
    const pending = await db().changeRequest.create({
      data: {
        agentId: agent.id,
        versionId: (await db().agentVersion.findFirstOrThrow({ where: { agentId: agent.id, number: 2 } })).id,
        kind: "deploy",
        requestedById: org.admin.id,
      },
    });
    await reopenLatest(agent.id);
    await rollBackCanary(org.admin, {}, agent.id, { reason: "regressed" });
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "rejected",
      decisionNote: "canary rolled back: regressed",
    });
    expect(await db().auditEvent.count({ where: { action: "deployment.rejected", targetId: pending.id } })).toBe(1);
    // Retiring the agent ends a running canary.
    await reopenLatest(agent.id);
    await retireAgent(org.admin, {}, agent.id, { reason: "done" });
    expect(await db().canary.count({ where: { agentId: agent.id, status: "running" } })).toBe(0);
  });
});
