import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg, priceModel, withTempAuditKeys } from "@/lib/test/fixtures";
import { readText } from "@/lib/test/streams";
import { systemActor, type UserActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { publicKeysOf } from "../audit/checkpoint-format";
import { signCheckpoint } from "../audit/checkpoints";
import { exportAuditEvents } from "../audit/export-audit-events";
import { publishedKeys } from "../audit/signing-keys";
import { verifyAuditChain } from "../audit/verify-audit-chain";
import { verifyAuditExport } from "../audit/verify-export";
import { createBudget } from "../budgets/create-budget";
import { getBudget } from "../budgets/queries";
import { approveChangeRequest, rejectChangeRequest } from "../changes/decide-change-request";
import { orgSettings } from "../settings/queries";
import { updateOrgSettings } from "../settings/update-org-settings";
import { createTeam } from "../teams/create-team";
import { ingestUsage } from "../usage/ingest-usage";
import { createUser } from "../users/create-user";
import { monthsBefore } from "./months";
import { pruneExpired } from "./prune";

const DAY = 86_400_000;
withTempAuditKeys();

/** A second admin, who approves what the org's admin asked. */
async function secondAdmin(tag: string): Promise<UserActor> {
  const u = await createUser(systemActor(), {}, { email: `second-${tag}@test.local`, name: "Second", role: "admin" });
  return { type: "user", id: u.id, label: u.email, role: "admin", teamIds: [] };
}

/** Shortens retention as people must: one admin asks, another approves. */
async function shorten(org: Awaited<ReturnType<typeof makeOrg>>, input: Record<string, number>) {
  const asked = await updateOrgSettings(org.admin, {}, input);
  if (!asked.pendingChange) throw new Error("expected a change request");
  await approveChangeRequest(
    await secondAdmin(`${org.tag}-${Object.keys(input)[0]}`),
    {},
    asked.pendingChange.requestId,
  );
}

describe("retention", () => {
  it("pruning a year of usage and decisions keeps every rollup and budget figure, in audited bounded batches", async () => {
    const org = await makeOrg();
    await priceModel(org.admin, `m-ret-${org.tag}`, [3, 0.3, 15], new Date("2020-01-01"), "test");
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `ret-${org.tag}`));
    const budget = await createBudget(
      org.admin,
      {},
      {
        name: `ret ${org.tag}`,
        scope: "agent",
        agentId: agent.id,
        period: "month",
        limitUsd: 1000,
      },
    );
    const now = new Date();
    // Two events a day for 400 days.
    const events = Array.from({ length: 800 }, (_, i) => ({
      id: `r-${i}`,
      timestamp: new Date(now.getTime() - Math.floor(i / 2) * DAY - (i % 2) * 3_600_000 - 60_000).toISOString(),
      model: `m-ret-${org.tag}`,
      inputTokens: 1000 + i,
      outputTokens: 100 + (i % 50),
    }));
    for (let i = 0; i < events.length; i += 200)
      await ingestUsage(agent.id, { events: events.slice(i, i + 200) }, {}, { trustedBackfill: true });
    // Decisions of the same year: settled, without a reservation, and one old one still holding a reservation.
    const old = (days: number) => new Date(now.getTime() - days * DAY);
    await db().decision.createMany({
      data: [
        ...Array.from({ length: 300 }, (_, i) => ({
          agentId: agent.id,
          action: "tool:call",
          resource: "x",
          decision: "allow" as const,
          code: "allowed",
          reason: "r",
          createdAt: old(i + 1),
          settledAt: i % 2 ? old(i) : null,
        })),
        {
          agentId: agent.id,
          action: "tool:call",
          resource: "held",
          decision: "allow" as const,
          code: "allowed",
          reason: "r",
          estimatedMicros: 1000n,
          reservations: [],
          reservationExpiresAt: new Date(now.getTime() + DAY),
          createdAt: old(300),
        },
        // Its reservation lapsed long ago and no usage ever settled it (the usual case): released, then pruned.
        {
          agentId: agent.id,
          action: "tool:call",
          resource: "lapsed",
          decision: "allow" as const,
          code: "allowed",
          reason: "r",
          estimatedMicros: 1000n,
          reservations: [],
          reservationExpiresAt: old(300),
          createdAt: old(301),
        },
      ],
    });

    const snapshot = async () => ({
      hourly: await db().usageRollupHourly.findMany({ where: { agentId: agent.id }, orderBy: [{ hour: "asc" }] }),
      daily: await db().usageRollupDaily.findMany({ where: { agentId: agent.id }, orderBy: [{ day: "asc" }] }),
      periods: await db().budgetPeriodUsage.findMany({
        where: { budgetId: budget.id },
        orderBy: { periodStart: "asc" },
      }),
      budget: await getBudget(org.admin, budget.id, now),
    });
    const before = await snapshot();
    expect(before.hourly.length).toBeGreaterThan(700);

    await shorten(org, { usageRetentionMonths: 6 });
    const cutoff = monthsBefore(now, 6);
    const expired = await db().usageEvent.count({ where: { agentId: agent.id, timestamp: { lt: cutoff } } });
    const kept = await db().usageEvent.count({ where: { agentId: agent.id, timestamp: { gte: cutoff } } });
    const expiredDecisions = await db().decision.count({
      where: { agentId: agent.id, createdAt: { lt: cutoff }, resource: "x" },
    });
    expect(expired).toBeGreaterThan(300);

    const result = await pruneExpired(now, { batch: 100 });
    expect(result).toMatchObject({ cutoff, usageEvents: expired, decisions: expiredDecisions + 1 });
    expect(result.batches).toBeGreaterThan(2);
    expect(await db().usageEvent.count({ where: { agentId: agent.id, timestamp: { lt: cutoff } } })).toBe(0);
    expect(await db().usageEvent.count({ where: { agentId: agent.id } })).toBe(kept);
    // The decision still holding a reservation stays until it is released.
    expect(await db().decision.count({ where: { agentId: agent.id, resource: "held" } })).toBe(1);
    expect(await db().decision.count({ where: { agentId: agent.id, resource: "lapsed" } })).toBe(0);
    expect(await db().decision.count({ where: { agentId: agent.id, createdAt: { lt: cutoff }, resource: "x" } })).toBe(
      0,
    );

    expect(await snapshot()).toEqual(before);

    // Each batch wrote its audit event with its counts; the chain still verifies.
    const audited = await db().auditEvent.findMany({ where: { action: "retention.pruned" } });
    expect(audited.length).toBe(result.batches);
    const counted = audited.reduce((s, e) => s + (e.after as { usageEvents: number }).usageEvents, 0);
    expect(counted).toBe(expired);
    expect(await verifyAuditChain()).toMatchObject({ intact: true });
    // Nothing left: a second run deletes and writes nothing.
    expect(await pruneExpired(now)).toMatchObject({ usageEvents: 0, decisions: 0 });
    expect(await db().auditEvent.count({ where: { action: "retention.pruned" } })).toBe(result.batches);
  });

  it("cannot go below six months, is for admins, and changes nothing when refused", async () => {
    const org = await makeOrg();
    const settings = await orgSettings();
    const events = () => db().auditEvent.count({ where: { action: "settings.updated" } });
    const n = await events();
    for (const bad of [5, 0, -1, 6.5, "x", 121])
      await expect(updateOrgSettings(org.admin, {}, { usageRetentionMonths: bad })).rejects.toBeInstanceOf(ZodError);
    await expect(updateOrgSettings(org.admin, {}, { auditRetentionMonths: 3 })).rejects.toBeInstanceOf(ZodError);
    await expect(updateOrgSettings(org.viewer, {}, { usageRetentionMonths: 24 })).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect(await orgSettings()).toEqual(settings);
    expect(await events()).toBe(n);
    // An edit of one field keeps the others.
    await updateOrgSettings(org.admin, {}, { usageRetentionMonths: 24 });
    expect(await orgSettings()).toEqual({ ...settings, usageRetentionMonths: 24 });
    await updateOrgSettings(org.admin, {}, { timeZone: "Europe/Paris" });
    expect(await orgSettings()).toEqual({ ...settings, timeZone: "Europe/Paris", usageRetentionMonths: 24 });
  });

  it("keeping records for less time waits for a second admin; longer applies at once; a stale or self approval changes nothing", async () => {
    const org = await makeOrg();
    const other = await secondAdmin(`${org.tag}-4e`);
    // Known starting months, set as people may: longer at once.
    const start = await orgSettings();
    const up = {
      usageRetentionMonths: Math.max(start.usageRetentionMonths, 20),
      auditRetentionMonths: Math.max(start.auditRetentionMonths, 30),
    };
    const raised = await updateOrgSettings(org.admin, {}, up);
    expect(raised).toMatchObject(up);
    expect(raised).not.toHaveProperty("pendingChange");
    const settings = await orgSettings();
    const requests = () => db().changeRequest.count({ where: { change: "retention", status: "pending" } });
    const pendingBefore = await requests();

    // One admin cutting the audit trail to six months (and raising usage retention in the same edit): the raise applies,
    // the cut waits.
    const asked = await updateOrgSettings(
      org.admin,
      {},
      { auditRetentionMonths: 6, usageRetentionMonths: up.usageRetentionMonths + 1 },
    );
    expect(asked).toMatchObject({
      auditRetentionMonths: up.auditRetentionMonths,
      usageRetentionMonths: up.usageRetentionMonths + 1,
    });
    if (!asked.pendingChange) throw new Error("expected a change request");
    expect(await orgSettings()).toEqual({ ...settings, usageRetentionMonths: up.usageRetentionMonths + 1 });
    expect(await requests()).toBe(pendingBefore + 1);
    // Asked again: the same request answers, no second one to approve.
    expect((await updateOrgSettings(org.admin, {}, { auditRetentionMonths: 6 })).pendingChange).toEqual(
      asked.pendingChange,
    );
    expect(await requests()).toBe(pendingBefore + 1);
    await expect(approveChangeRequest(org.admin, {}, asked.pendingChange.requestId)).rejects.toMatchObject({
      code: "self_approval",
    });
    expect((await orgSettings()).auditRetentionMonths).toBe(up.auditRetentionMonths);
    await approveChangeRequest(other, {}, asked.pendingChange.requestId);
    expect((await orgSettings()).auditRetentionMonths).toBe(6);
    const applied = await db().auditEvent.findFirstOrThrow({
      where: { action: "settings.updated", actorId: other.id },
      orderBy: { position: "desc" },
    });
    expect(applied.after).toMatchObject({ auditRetentionMonths: 6, requestId: asked.pendingChange.requestId });

    // A request made from months that changed since is stale: approving it changes nothing.
    await updateOrgSettings(org.admin, {}, { auditRetentionMonths: 24 });
    const cut = await updateOrgSettings(org.admin, {}, { auditRetentionMonths: 12 });
    await updateOrgSettings(org.admin, {}, { auditRetentionMonths: 36 });
    if (!cut.pendingChange) throw new Error("expected a change request");
    await expect(approveChangeRequest(other, {}, cut.pendingChange.requestId)).rejects.toMatchObject({
      code: "request_stale",
    });
    expect((await orgSettings()).auditRetentionMonths).toBe(36);
    await rejectChangeRequest(other, {}, cut.pendingChange.requestId);
    // The system (the seed) acts alone.
    await updateOrgSettings(systemActor(), {}, { auditRetentionMonths: settings.auditRetentionMonths });
    expect(await orgSettings()).toMatchObject({ auditRetentionMonths: settings.auditRetentionMonths });
  });

  it("counts calendar months back, the 31st falling to the month's last day", () => {
    expect(monthsBefore(new Date("2026-03-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(monthsBefore(new Date("2026-12-03T00:00:00Z"), 13).toISOString()).toBe("2025-11-03T00:00:00.000Z");
    expect(monthsBefore(new Date("2026-08-31T00:00:00Z"), 6).toISOString()).toBe("2026-02-28T00:00:00.000Z");
  });

  // Last in the file: it prunes the trail the other tests wrote.
  it("prunes the audit trail only up to a signed checkpoint, and what remains verifies from there", async () => {
    const org = await makeOrg();
    const team = () => createTeam(org.admin, {}, { slug: `t-${Math.random().toString(36).slice(2, 8)}`, name: "t" });
    await team();
    const first = await signCheckpoint({ force: true });
    await team();
    const second = await signCheckpoint({ force: true });
    await team(); // after the last checkpoint: kept, whatever its age
    await shorten(org, { auditRetentionMonths: 6 });
    const unsigned = (await db().auditEvent.findFirst({ orderBy: { position: "desc" } }))!.position;
    // Fourteen months on, every event is past a six-month retention: pruned up to the newest checkpoint.
    const later = new Date(Date.now() + 425 * DAY);
    // A SIEM sink that has acknowledged only up to the first checkpoint holds the trail back there until it catches up.
    const behind = await db().auditSink.create({
      data: {
        name: "behind",
        kind: "https",
        url: "https://siem.example.com/in",
        ackedPosition: BigInt(first!.position),
      },
    });
    expect(await pruneExpired(later, { batch: 5 })).toMatchObject({
      auditEvents: Number(first?.position),
      auditPrunedThrough: first?.position,
    });
    await db().auditSink.delete({ where: { id: behind.id } });
    const result = await pruneExpired(later, { batch: 5 });
    expect(result.auditPrunedThrough).toBe(second?.position);
    expect(result.auditEvents).toBe(Number(second?.position) - Number(first?.position));
    expect(await db().auditEvent.count({ where: { position: { lte: BigInt(second!.position) } } })).toBe(0);
    expect(await db().auditEvent.count({ where: { position: { gt: BigInt(second!.position), lte: unsigned } } })).toBe(
      Number(unsigned - BigInt(second!.position)),
    );
    // Checkpoint by checkpoint (none within 5 of the start, so the nearest, then the furthest within 5), each batch
    // with its audit event naming where the trail now starts.
    const pruned = await db().auditEvent.findMany({
      where: { action: "retention.pruned" },
      orderBy: { position: "asc" },
    });
    const throughs = pruned.map((e) => (e.after as { auditPrunedThrough?: string }).auditPrunedThrough).filter(Boolean);
    expect(throughs.at(-1)).toBe(second?.position);
    expect(throughs).toContain(first?.position);

    // Judged fourteen months on, the start is a checkpoint old enough to have been pruned to.
    expect(await verifyAuditChain(later)).toMatchObject({ intact: true, prunedThrough: second?.position });
    const exported = await exportAuditEvents(org.auditor, {}, { format: "ndjson" });
    const lines = (await readText(exported.chunks)).trimEnd().split("\n");
    const keys = publicKeysOf(publishedKeys());
    const opts = { keys, now: later };
    expect(verifyAuditExport(lines, opts)).toMatchObject({ intact: true, prunedThrough: second?.position });
    // The pruned record stands only at a signed checkpoint with its hash: dropped, moved or re-hashed, it is caught.
    const at = lines.findIndex((l) => l.includes('"record":"pruned"'));
    expect(JSON.parse(lines[at])).toEqual({ record: "pruned", to: second?.position, hash: second?.hash });
    expect(
      verifyAuditExport(
        lines.filter((_, i) => i !== at),
        opts,
      ).intact,
    ).toBe(false);
    const moved = JSON.stringify({ record: "pruned", to: String(BigInt(second!.position) - 1n), hash: second?.hash });
    expect(
      verifyAuditExport(
        lines.map((l, i) => (i === at ? moved : l)),
        opts,
      ).intact,
    ).toBe(false);
    const rehashed = JSON.stringify({ record: "pruned", to: second?.position, hash: "f".repeat(64) });
    expect(
      verifyAuditExport(
        lines.map((l, i) => (i === at ? rehashed : l)),
        opts,
      ).intact,
    ).toBe(false);
    // Judged today, the same start is too recent for any retention: history was removed, not pruned.
    expect(await verifyAuditChain()).toMatchObject({ intact: false, break: { position: "1" } });
    expect(verifyAuditExport(lines, { keys })).toMatchObject({ intact: false, position: second?.position });
    // Nothing more to prune until a later checkpoint is old enough.
    expect(await pruneExpired(later)).toMatchObject({ auditEvents: 0 });

    // Someone who can write to the database moves the start past more history: no signed checkpoint there.
    const legit = await db().auditBase.findUniqueOrThrow({ where: { id: 1 } });
    const hashAt = async (p: bigint) => (await db().auditEvent.findUniqueOrThrow({ where: { position: p } })).hash;
    await db().auditBase.update({ where: { id: 1 }, data: { position: unsigned, hash: await hashAt(unsigned) } });
    expect(await verifyAuditChain(later)).toMatchObject({ intact: false, break: { position: "1" } });
    await db().auditBase.update({ where: { id: 1 }, data: { position: legit.position, hash: legit.hash } });
    // An event edited in place is evidence: the pruner refuses to prune across it, even up to a valid checkpoint.
    await db().auditEvent.update({ where: { position: unsigned }, data: { reason: "edited" } });
    await team();
    expect(await signCheckpoint({ force: true })).not.toBeNull();
    expect(await pruneExpired(later)).toMatchObject({ auditEvents: 0, auditPrunedThrough: second?.position });
    expect(await db().auditEvent.count({ where: { position: unsigned } })).toBe(1);
  });
});
