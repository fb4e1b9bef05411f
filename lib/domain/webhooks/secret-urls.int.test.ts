import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { makeOrg } from "@/lib/test/fixtures";
import { createAuditSink, deleteAuditSink, listAuditSinks, MAX_AUDIT_SINKS } from "../audit/sinks/commands";
import { approveChangeRequest } from "../changes/decide-change-request";
import { exportConfig, planConfig } from "../config/plan-config";
import { getMcpServer, listMcpServers } from "../tools/queries";
import { registerMcpServer } from "../tools/register-mcp-server";
import { createWebhookEndpoint, MAX_WEBHOOK_ENDPOINTS } from "./create-webhook-endpoint";
import { deleteWebhookEndpoint } from "./delete-webhook-endpoint";

/** URLs whose path is their secret (Slack-style webhooks, hosted MCP servers, HTTP log sources). */
const SECRET = "zq9SECRETpath";
const auditText = async (targetId: string) =>
  JSON.stringify(await db().auditEvent.findMany({ where: { targetId }, select: { before: true, after: true } }));

describe("outbound URLs that carry their secret", () => {
  it("are masked in the audit trail and for auditors' exports and plans; admins read them whole", async () => {
    const org = await makeOrg();
    const url = `https://hooks.slack.com/services/T0/B0/${SECRET}-${org.tag}`;
    const hook = await createWebhookEndpoint(org.admin, {}, { name: `slack-${org.tag}`, url });
    expect(hook.url).toBe(url);

    const admin = await exportConfig(org.admin);
    expect(admin.webhooks).toContainEqual({ name: `slack-${org.tag}`, url });
    const auditor = await exportConfig(org.auditor);
    expect(JSON.stringify(auditor)).not.toContain(SECRET);
    expect(auditor.webhooks).toContainEqual({
      name: `slack-${org.tag}`,
      url: expect.stringMatching(/^https:\/\/hooks\.slack\.com\/…#/),
    });
    // Given back, an auditor's export plans no change (a masked URL stands for its own endpoint's, and only its own);
    // the API takes no masked URL.
    expect((await planConfig(org.admin, { document: auditor })).changes.filter((c) => c.kind === "webhook")).toEqual(
      [],
    );
    const masked = auditor.webhooks!.find((w) => w.name === `slack-${org.tag}`)!.url;
    await expect(
      planConfig(org.admin, {
        document: { ...auditor, webhooks: [...auditor.webhooks!, { name: "other", url: masked }] },
      }),
    ).rejects.toMatchObject({ kind: "validation" });
    await expect(createWebhookEndpoint(org.admin, {}, { name: `m-${org.tag}`, url: masked })).rejects.toMatchObject({
      name: "ZodError",
    });
    // A plan shows a URL change masked on both sides, an admin's too (plans end up in CI logs); its hash is keyed, so
    // an auditor cannot test guesses of the URL against it.
    const moved = {
      ...admin,
      webhooks: admin.webhooks?.map((w) => (w.url === url ? { ...w, url: `${url}-new` } : w)),
    };
    const plan = await planConfig(org.auditor, { document: moved });
    expect(plan.changes.filter((c) => c.kind === "webhook")).toHaveLength(1);
    expect(JSON.stringify(plan.changes)).not.toContain(SECRET);
    const adminPlan = await planConfig(org.admin, { document: moved });
    expect(JSON.stringify(adminPlan.changes)).not.toContain(SECRET);
    expect(adminPlan.planHash).toBe(plan.planHash);
    const unkeyed = createHash("sha256")
      .update(canonicalize({ live: admin, desired: moved, pending: {} }) ?? "")
      .digest("hex");
    expect(plan.planHash).not.toBe(unkeyed);

    await deleteWebhookEndpoint(org.admin, {}, hook.id);
    const trail = await auditText(hook.id);
    expect(trail).toContain("hooks.slack.com");
    expect(trail).not.toContain(SECRET);
  });

  it("an MCP server's URL is whole for admins only, and masked in the audit trail", async () => {
    const org = await makeOrg();
    const url = `https://mcp.vendor.example/s/${SECRET}/mcp`;
    const server = await registerMcpServer(org.admin, {}, { name: `vendor-${org.tag}`, url });
    expect((await getMcpServer(org.admin, server.id)).url).toBe(url);
    for (const who of [org.viewer, org.lead, org.auditor]) {
      expect((await getMcpServer(who, server.id)).url).toMatch(/^https:\/\/mcp\.vendor\.example\/…#/);
      expect(JSON.stringify(await listMcpServers(who))).not.toContain(SECRET);
    }
    expect(await auditText(server.id)).not.toContain(SECRET);
  });

  it("deleting a SIEM sink waits for a second admin, and its URL is masked in the audit trail", async () => {
    const org = await makeOrg();
    const ops = (await makeOrg()).admin;
    const url = `https://collectors.sumologic.example/receiver/v1/http/${SECRET}`;
    const sink = await createAuditSink(org.admin, {}, { name: `sumo-${org.tag}`, kind: "https", url });
    // One admin alone only asks: the sink keeps streaming (it receives the request itself) until another approves.
    const asked = await deleteAuditSink(org.admin, {}, sink.id);
    if (!("pendingChange" in asked)) throw new Error("deleted by one admin");
    expect(await deleteAuditSink(org.admin, {}, sink.id)).toEqual(asked); // asking again: the same request
    expect(await db().auditSink.count({ where: { id: sink.id } })).toBe(1);
    expect((await listAuditSinks(org.admin)).find((s) => s.id === sink.id)).toMatchObject({
      removalRequestId: asked.pendingChange.requestId,
      removalUnreceived: expect.any(Number),
    });
    expect((await listAuditSinks(org.admin)).find((s) => s.id === sink.id)?.removalUnreceived).toBeGreaterThan(0);
    const requestId = asked.pendingChange.requestId;
    await expect(approveChangeRequest(org.admin, {}, requestId)).rejects.toMatchObject({ code: "self_approval" });
    // It has not received the request itself (nor what came before it): approving needs a note saying why.
    await expect(approveChangeRequest(ops, {}, requestId)).rejects.toMatchObject({ code: "sink_behind" });
    expect(await db().auditSink.count({ where: { id: sink.id } })).toBe(1);
    await approveChangeRequest(ops, {}, requestId, { note: "the receiver was decommissioned" });
    expect(await db().auditSink.count({ where: { id: sink.id } })).toBe(0);
    const [deleted] = await db().auditEvent.findMany({ where: { targetId: sink.id, action: "audit.sink_deleted" } });
    expect(deleted).toMatchObject({ actorId: ops.id, after: { requestId, requestedById: org.admin.id } });
    expect(await auditText(sink.id)).toContain("collectors.sumologic.example");
    expect(await auditText(sink.id)).not.toContain(SECRET);
    expect(await auditText(requestId)).not.toContain(SECRET);

    // A sink that has received the request and all before it is deleted on a plain approval, even while later
    // events are on their way (the list says so: the Approvals card asks for a note by the same rule).
    const caughtUp = await createAuditSink(org.admin, {}, { name: `sumo2-${org.tag}`, kind: "https", url });
    const again = await deleteAuditSink(org.admin, {}, caughtUp.id);
    if (!("pendingChange" in again)) throw new Error("deleted by one admin");
    const request = await db().auditEvent.findFirstOrThrow({
      where: { targetId: again.pendingChange.requestId, action: "change.requested" },
    });
    await db().auditSink.update({ where: { id: caughtUp.id }, data: { ackedPosition: request.position } });
    await createAuditSink(org.admin, {}, { name: `sumo3-${org.tag}`, kind: "https", url }); // a later event
    expect((await listAuditSinks(org.admin)).find((s) => s.id === caughtUp.id)).toMatchObject({
      lag: expect.any(Number),
      removalUnreceived: 0,
    });
    expect((await listAuditSinks(org.admin)).find((s) => s.id === caughtUp.id)?.lag).toBeGreaterThan(0);
    await approveChangeRequest(ops, {}, again.pendingChange.requestId);
    expect(await db().auditSink.count({ where: { id: caughtUp.id } })).toBe(0);
  });

  it("a user name or password in a webhook's or MCP server's URL is refused, nothing written", async () => {
    const org = await makeOrg();
    const url = "https://bot:hunter2@hooks.example.com/acp";
    await expect(createWebhookEndpoint(org.admin, {}, { name: `basic-${org.tag}`, url })).rejects.toMatchObject({
      name: "ZodError",
    });
    await expect(registerMcpServer(org.admin, {}, { name: `basic-${org.tag}`, url })).rejects.toMatchObject({
      name: "ZodError",
    });
    expect(await db().webhookEndpoint.count({ where: { name: `basic-${org.tag}` } })).toBe(0);
    expect(await db().mcpServer.count({ where: { name: `basic-${org.tag}` } })).toBe(0);
  });

  it("there are at most so many webhook endpoints and SIEM sinks (each is written to in runtime transactions)", async () => {
    const org = await makeOrg();
    const hooks = await db().webhookEndpoint.count();
    for (let i = hooks; i < MAX_WEBHOOK_ENDPOINTS; i++)
      await createWebhookEndpoint(org.admin, {}, { name: `many-${i}`, url: `https://hooks.example.com/${i}` });
    await expect(
      createWebhookEndpoint(org.admin, {}, { name: "one-too-many", url: "https://hooks.example.com/x" }),
    ).rejects.toMatchObject({ code: "limit_reached" });
    const sinks = await db().auditSink.count();
    for (let i = sinks; i < MAX_AUDIT_SINKS; i++)
      await createAuditSink(org.admin, {}, { name: `many-${i}`, kind: "https", url: `https://siem.example.com/${i}` });
    await expect(
      createAuditSink(org.admin, {}, { name: "one-too-many", kind: "https", url: "https://siem.example.com/x" }),
    ).rejects.toMatchObject({ code: "limit_reached" });
    expect(await db().webhookEndpoint.count()).toBe(MAX_WEBHOOK_ENDPOINTS);
    expect(await db().auditSink.count()).toBe(MAX_AUDIT_SINKS);
    await db().webhookEndpoint.deleteMany({ where: { name: { startsWith: "many-" } } });
    await db().auditSink.deleteMany({ where: { name: { startsWith: "many-" } } });
  });
});
