import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { periodStart } from "../budgets/periods";
import { orgTimeZone } from "../settings/queries";
import { spendBreakdown } from "../spend/queries";
import { ingestUsage } from "../usage/ingest-usage";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { listOutcomeCostAlerts, sweepOutcomeCosts } from "./cost-alerts";
import { agentEconomics } from "./economics";
import { createOutcomeType, listOutcomeTypes, updateOutcomeType } from "./outcome-types";
import { reportOutcomes } from "./report-outcomes";

// Two agents report usage linked to tasks and the outcomes of those tasks; cost per outcome against an independent
// computation; undefined or unlisted outcome types refused, nothing stored.

let seq = 0;
const use = (taskId: string | null, costUsd: number) => ({
  id: `use-${seq++}`,
  timestamp: new Date(Date.now() - 60_000).toISOString(),
  model: "gpt-5",
  inputTokens: 10,
  outputTokens: 10,
  costUsd,
  ...(taskId ? { taskId } : {}),
});
const outcome = (type: string, taskId: string, success: boolean, valueUsd?: number) => ({
  id: `out-${seq++}`,
  type,
  taskId,
  success,
  ...(valueUsd === undefined ? {} : { valueUsd }),
});

describe("outcomes", () => {
  it("gives cost per successful outcome by type, exactly, from usage linked to tasks", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `support-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.team.id, `refunds-${org.tag}`));
    const ticket = `ticket.resolved.${org.tag}`;
    const refund = `refund.issued.${org.tag}`;
    await expect(
      createOutcomeType(org.viewer, {}, { name: ticket, unit: "ticket", agentIds: [a.id] }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    const t = await createOutcomeType(
      org.admin,
      {},
      {
        name: ticket,
        unit: "ticket",
        ownerTeamId: org.team.id,
        agentIds: [a.id, b.id, a.id],
      },
    );
    expect(t.agentIds).toEqual([a.id, b.id].sort());
    const r = await createOutcomeType(
      org.admin,
      {},
      { name: refund, unit: "refund", hasValue: true, agentIds: [a.id] },
    );
    await expect(createOutcomeType(org.admin, {}, { name: ticket, unit: "ticket" })).rejects.toMatchObject({
      code: "outcome_type_exists",
    });
    await expect(
      createOutcomeType(org.admin, {}, { name: `x.${org.tag}`, unit: "x", agentIds: ["nope"] }),
    ).rejects.toMatchObject({ kind: "validation", details: { "agentIds.0": ["no such agent"] } });
    await expect(createOutcomeType(org.admin, {}, { name: "Not A Name", unit: "x" })).rejects.toThrow();
    expect((await listOutcomeTypes(org.viewer)).map((x) => x.name)).toEqual(expect.arrayContaining([ticket, refund]));

    // Usage: each task's calls, some unlinked calls, and agent b's own tasks (same task ids: still b's).
    const costs: Record<string, number[]> = {
      t1: [0.1, 0.2],
      t2: [0.05],
      t3: [0.3, 0.1, 0.1],
      t4: [0.4],
      t5: [0.25],
      t6: [0.15, 0.05],
    };
    await ingestUsage(a.id, {
      events: [...Object.entries(costs).flatMap(([task, cs]) => cs.map((c) => use(task, c))), use(null, 1)],
    });
    await ingestUsage(b.id, { events: [use("t1", 0.5), use("t2", 0.5), use("t3", 0.25)] });
    await reportOutcomes(a.id, {
      outcomes: [
        outcome(ticket, "t1", true),
        outcome(ticket, "t2", true),
        outcome(ticket, "t3", true),
        outcome(ticket, "t4", false),
        outcome(refund, "t5", true, 20),
        outcome(refund, "t6", false, 0),
      ],
    });
    await reportOutcomes(b.id, {
      outcomes: [outcome(ticket, "t1", true), outcome(ticket, "t2", false), outcome(ticket, "t3", true)],
    });

    // The independent computation, in micro-dollars.
    const micros = (tasks: string[]) =>
      tasks.flatMap((task) => costs[task]).reduce((n, c) => n + Math.round(c * 1e6), 0);
    const econ = await agentEconomics(org.lead, a.slug);
    const byType = Object.fromEntries(econ.types.map((x) => [x.type, x]));
    expect(byType[ticket]).toMatchObject({
      outcomes: 4,
      successes: 3,
      tasksWithoutUsage: 0,
      successRate: 0.75,
      costMicros: micros(["t1", "t2", "t3", "t4"]),
      valueMicros: null,
    });
    expect(byType[ticket].costPerSuccessMicros).toBeCloseTo(micros(["t1", "t2", "t3", "t4"]) / 3, 6);
    expect(byType[refund]).toMatchObject({
      outcomes: 2,
      successes: 1,
      costMicros: micros(["t5", "t6"]),
      costPerSuccessMicros: micros(["t5", "t6"]),
      valueMicros: 20_000_000,
    });
    expect(byType[refund].valuePerDollar).toBeCloseTo(20_000_000 / micros(["t5", "t6"]), 6);
    expect(econ.usage).toEqual({
      costMicros: micros(Object.keys(costs)) + 1_000_000,
      taskCostMicros: micros(Object.keys(costs)),
    });
    const econB = await agentEconomics(org.admin, b.id);
    expect(econB.types).toEqual([
      expect.objectContaining({
        type: ticket,
        outcomes: 3,
        successes: 2,
        costMicros: 1_250_000,
        costPerSuccessMicros: 625_000,
      }),
    ]);
    // A task counts once, as its latest report says: repeats add nothing, a retried failure that succeeded counts as a
    // success; a task no usage named is counted as such.
    await reportOutcomes(a.id, {
      outcomes: [outcome(ticket, "t1", true), outcome(ticket, "t4", true), outcome(ticket, "t99", true)],
    });
    const redone = (await agentEconomics(org.admin, a.id)).types.find((x) => x.type === ticket)!;
    expect(redone).toMatchObject({
      outcomes: 5,
      successes: 5,
      tasksWithoutUsage: 1,
      costMicros: micros(["t1", "t2", "t3", "t4"]),
      costPerSuccessMicros: micros(["t1", "t2", "t3", "t4"]) / 5,
    });

    // Someone who cannot see the agent learns nothing.
    await expect(agentEconomics({ ...org.lead, teamIds: [org.other.id] }, a.id)).rejects.toMatchObject({
      kind: "not_found",
    });

    // Refused, nothing stored: an undefined type, a type the agent is not listed for, a value on a type without one.
    const stored = await db().outcome.count({ where: { agentId: { in: [a.id, b.id] } } });
    await expect(
      reportOutcomes(a.id, { outcomes: [outcome(ticket, "t7", true), outcome("ticket.closed", "t8", true)] }),
    ).rejects.toMatchObject({
      kind: "validation",
      code: "unknown_outcome_type",
      details: { "outcomes.1.type": [expect.stringContaining("ticket.closed")] },
    });
    await expect(reportOutcomes(b.id, { outcomes: [outcome(refund, "t9", true, 5)] })).rejects.toMatchObject({
      code: "outcome_type_not_allowed",
    });
    await expect(reportOutcomes(a.id, { outcomes: [outcome(ticket, "t9", true, 5)] })).rejects.toMatchObject({
      code: "validation_failed",
      details: { "outcomes.0.valueUsd": [expect.any(String)] },
    });
    expect(await db().outcome.count({ where: { agentId: { in: [a.id, b.id] } } })).toBe(stored);

    // Idempotent on id; an archived type is no longer reported; changes are audited.
    const again = { outcomes: [{ ...outcome(ticket, "t10", true), id: "same" }] };
    expect(await reportOutcomes(a.id, again)).toEqual({ accepted: 1, duplicates: 0 });
    expect(await reportOutcomes(a.id, again)).toEqual({ accepted: 0, duplicates: 1 });
    await updateOutcomeType(org.admin, {}, r.id, { archived: true, description: "retired" });
    await expect(reportOutcomes(a.id, { outcomes: [outcome(refund, "t11", true, 1)] })).rejects.toMatchObject({
      code: "unknown_outcome_type",
    });
    expect((await listOutcomeTypes(org.admin)).map((x) => x.name)).not.toContain(refund);
    const audit = await db().auditEvent.findMany({
      where: { targetId: { in: [t.id, r.id] } },
      orderBy: { position: "asc" },
    });
    expect(audit.map((e) => e.action)).toEqual([
      "outcome_type.created",
      "outcome_type.created",
      "outcome_type.updated",
    ]);
    expect(audit[2].after).toMatchObject({ description: "retired", archivedAt: expect.any(String) });
  });

  it("narrows to one version: its outcomes and their tasks' cost, and the usage reported for it", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `versions-${org.tag}`));
    const ticket = `ticket.versioned.${org.tag}`;
    await createOutcomeType(org.admin, {}, { name: ticket, unit: "ticket", agentIds: [a.id] });
    const on = (version: number, taskId: string, costUsd: number) => ({ ...use(taskId, costUsd), version });
    await ingestUsage(a.id, { events: [on(1, "v1a", 0.1), on(1, "v1b", 0.3), on(2, "v2a", 0.05), on(2, "v2b", 0.05)] });
    await reportOutcomes(a.id, {
      outcomes: [
        { ...outcome(ticket, "v1a", true), version: 1 },
        { ...outcome(ticket, "v1b", false), version: 1 },
        { ...outcome(ticket, "v2a", true), version: 2 },
        { ...outcome(ticket, "v2b", true), version: 2 },
      ],
    });
    const [v1, v2, all] = await Promise.all([
      agentEconomics(org.admin, a.id, { version: "1" }),
      agentEconomics(org.admin, a.id, { version: 2 }),
      agentEconomics(org.admin, a.id),
    ]);
    expect(v1).toMatchObject({ version: 1, usage: { costMicros: 400_000 } });
    expect(v1.types[0]).toMatchObject({
      outcomes: 2,
      successes: 1,
      costMicros: 400_000,
      costPerSuccessMicros: 400_000,
    });
    expect(v2.types[0]).toMatchObject({ outcomes: 2, successes: 2, costMicros: 100_000, costPerSuccessMicros: 50_000 });
    expect(all).toMatchObject({ version: null, usage: { costMicros: 500_000 } });
    expect(all.types[0]).toMatchObject({ outcomes: 4, successes: 3 });
    await expect(agentEconomics(org.admin, a.id, { version: "0" })).rejects.toMatchObject({ name: "ZodError" });

    // The spend explorer, grouped by agent: the same successes and task cost; grouped by model, none apply.
    const range = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 3_600_000) };
    const byAgent = await spendBreakdown(org.admin, { ...range, groupBy: "agent", agentId: a.id });
    expect(byAgent.rows.map((r) => r.outcomes)).toEqual([{ count: 4, successes: 3, taskCostMicros: 500_000 }]);
    const byTeam = await spendBreakdown(org.lead, { ...range, groupBy: "team", agentId: a.id });
    expect(byTeam.rows[0].outcomes).toMatchObject({ successes: 3 });
    const byModel = await spendBreakdown(org.admin, { ...range, groupBy: "model", agentId: a.id });
    expect(byModel.rows[0].outcomes).toBeNull();
  });

  it("a budget per outcome: crossing the maximum cost per success alerts once per agent and period, audited and sent", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `costly-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.team.id, `thrifty-${org.tag}`));
    const name = `ticket.capped.${org.tag}`;
    await expect(
      createOutcomeType(org.admin, {}, { name, unit: "ticket", agentIds: [a.id], maxCostPerSuccessUsd: -1 }),
    ).rejects.toMatchObject({ name: "ZodError" });
    const t = await createOutcomeType(
      org.admin,
      {},
      {
        name,
        unit: "ticket",
        agentIds: [a.id, b.id],
        maxCostPerSuccessUsd: 0.5,
        costPeriod: "day",
      },
    );
    expect(t).toMatchObject({ maxCostPerSuccessUsd: 0.5, costPeriod: "day" });
    await createWebhookEndpoint(org.admin, {}, { name: "ops", url: "https://hooks.example.com/acp" });
    // a: $0.40 + $0.70 for two successes = $0.55 each (over); b: $0.30 + $0.60 = $0.45 each (under).
    await ingestUsage(a.id, { events: [use("a1", 0.4), use("a2", 0.7)] });
    await ingestUsage(b.id, { events: [use("b1", 0.3), use("b2", 0.6)] });
    await reportOutcomes(a.id, { outcomes: [outcome(name, "a1", true)] }); // $0.40 for one success: under
    expect(await db().outcomeCostAlert.count({ where: { outcomeTypeId: t.id } })).toBe(0);
    await reportOutcomes(a.id, { outcomes: [outcome(name, "a2", true)] }); // $1.10 for two: over
    await reportOutcomes(b.id, { outcomes: [outcome(name, "b1", true), outcome(name, "b2", true)] });
    await reportOutcomes(a.id, { outcomes: [outcome(name, "a2", true)] }); // again: no second alert this period
    const alerts = await db().outcomeCostAlert.findMany({ where: { outcomeTypeId: t.id } });
    expect(alerts).toEqual([
      expect.objectContaining({ agentId: a.id, successes: 2, costMicros: 1_100_000n, limitMicros: 500_000n }),
    ]);
    expect(alerts[0].message).toContain("$0.5500 per ticket");
    const audit = await db().auditEvent.findMany({ where: { action: "outcome_type.cost_exceeded", targetId: t.id } });
    expect(audit).toEqual([expect.objectContaining({ agentId: a.id, actorType: "agent" })]);
    const hooks = await db().webhookDelivery.findMany({ where: { eventType: "outcome.cost_exceeded" } });
    expect(
      hooks.filter((h) => (h.payload as { data: { alertId: string } }).data.alertId === alerts[0].id),
    ).not.toHaveLength(0);
    // A lead reads their teams' alerts; the maximum can be lifted.
    expect((await listOutcomeCostAlerts(org.lead)).some((x) => x.id === alerts[0].id)).toBe(true);
    expect(await updateOutcomeType(org.admin, {}, t.id, { maxCostPerSuccessUsd: null })).toMatchObject({
      maxCostPerSuccessUsd: null,
    });
  });

  it("a budget per outcome: usage that arrives after the outcome was reported is judged by the sweep, once", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `late-${org.tag}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.team.id, `prompt-${org.tag}`));
    const name = `ticket.late.${org.tag}`;
    const t = await createOutcomeType(
      org.admin,
      {},
      { name, unit: "ticket", agentIds: [a.id, b.id], maxCostPerSuccessUsd: 0.5, costPeriod: "day" },
    );
    // Both report a success first ($0.20 so far: under); then a's task reports $0.45 more, b's $0.10 more.
    await ingestUsage(a.id, { events: [use("late1", 0.2)] });
    await ingestUsage(b.id, { events: [use("prompt1", 0.2)] });
    await reportOutcomes(a.id, { outcomes: [outcome(name, "late1", true)] });
    await reportOutcomes(b.id, { outcomes: [outcome(name, "prompt1", true)] });
    await ingestUsage(a.id, { events: [use("late1", 0.45)] });
    await ingestUsage(b.id, { events: [use("prompt1", 0.1)] });
    expect(await db().outcomeCostAlert.count({ where: { outcomeTypeId: t.id } })).toBe(0);
    // The sweep finds a over ($0.65 for one success), b under ($0.30); sweeping again raises nothing more.
    expect(await sweepOutcomeCosts()).toBeGreaterThanOrEqual(1);
    expect(await sweepOutcomeCosts()).toBe(0);
    const alerts = await db().outcomeCostAlert.findMany({ where: { outcomeTypeId: t.id } });
    expect(alerts).toEqual([expect.objectContaining({ agentId: a.id, successes: 1, costMicros: 650_000n })]);
    expect(
      await db().auditEvent.count({ where: { action: "outcome_type.cost_exceeded", targetId: t.id, agentId: a.id } }),
    ).toBe(1);
    // A type whose maximum was lifted is not swept.
    await updateOutcomeType(org.admin, {}, t.id, { maxCostPerSuccessUsd: null });
    await ingestUsage(b.id, { events: [use("prompt1", 5)] });
    await sweepOutcomeCosts();
    expect(await db().outcomeCostAlert.count({ where: { outcomeTypeId: t.id } })).toBe(1);
  });

  it("a budget per outcome whose period changes is judged for the new period, even one starting when an alerted one did", async () => {
    const org = await makeOrg();
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `periodic-${org.tag}`));
    const name = `ticket.periodic.${org.tag}`;
    const t = await createOutcomeType(
      org.admin,
      {},
      { name, unit: "ticket", agentIds: [a.id], maxCostPerSuccessUsd: 0.5, costPeriod: "day" },
    );
    // This week's Monday: its day and its week start at the same instant.
    const monday = periodStart("week", new Date(), await orgTimeZone());
    await ingestUsage(a.id, { events: [use("periodic1", 0.8)] });
    await reportOutcomes(a.id, {
      outcomes: [{ ...outcome(name, "periodic1", true), timestamp: monday.toISOString() }],
    });
    await sweepOutcomeCosts(monday);
    const periods = async () =>
      (await db().outcomeCostAlert.findMany({ where: { outcomeTypeId: t.id }, orderBy: { createdAt: "asc" } })).map(
        (x) => [x.period, x.periodStart.getTime()],
      );
    expect(await periods()).toEqual([["day", monday.getTime()]]);
    await updateOutcomeType(org.admin, {}, t.id, { costPeriod: "week" });
    await sweepOutcomeCosts(monday);
    expect(await periods()).toEqual([
      ["day", monday.getTime()],
      ["week", monday.getTime()],
    ]);
  });
});
