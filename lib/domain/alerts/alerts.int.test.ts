import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createBudget } from "../budgets/create-budget";
import { ingestUsage } from "../usage/ingest-usage";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../webhooks/delete-webhook-endpoint";
import { deliverDueWebhooks } from "../webhooks/deliver-webhooks";
import { sendTestWebhook } from "../webhooks/send-test-webhook";
import { verifyWebhookSignature } from "../webhooks/signature";
import { markAlertsRead } from "./mark-alerts-read";
import { listAlerts, unreadAlertCount } from "./queries";

type Received = { headers: IncomingMessage["headers"]; body: string };
const received: Received[] = [];
let respond = 200;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(respond).end();
  });
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  process.env.WEBHOOK_BACKOFF_BASE_MS = "0"; // retries are due at once in this test
  process.env.WEBHOOK_ALLOW_PRIVATE = "1"; // the receiver listens on 127.0.0.1
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let n = 0;
const spend = (agentId: string, usd: number) =>
  ingestUsage(agentId, {
    events: [
      {
        id: `e${++n}`,
        timestamp: new Date().toISOString(),
        model: "gpt-5",
        inputTokens: 1,
        outputTokens: 1,
        costUsd: usd,
      },
    ],
  });

describe("budget alerts and webhooks", () => {
  it("crossing 50 % and 80 % through ingestion: one notification and one signed webhook per threshold", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `alert-${org.tag}`));
    const budget = await createBudget(
      org.admin,
      {},
      {
        name: "Alerting",
        scope: "agent",
        agentId: agent.id,
        period: "month",
        limitUsd: 10,
        thresholds: [50, 80],
        hardAction: "notify",
      },
    );
    const endpoint = await createWebhookEndpoint(org.admin, {}, { name: "receiver", url });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "webhook.created", targetId: endpoint.id },
    });
    expect(JSON.stringify(audit.after)).not.toContain(endpoint.secret);

    // Late usage for last month's period counts there but does not alert: alerts are about the running period.
    const lastMonth = new Date(Date.now() - 40 * 86_400_000).toISOString();
    expect(
      (
        await ingestUsage(
          agent.id,
          {
            events: [{ id: "late", timestamp: lastMonth, model: "gpt-5", inputTokens: 1, outputTokens: 1, costUsd: 9 }],
          },
          {},
          { trustedBackfill: true },
        )
      ).alerts,
    ).toBe(0);
    expect((await spend(agent.id, 3)).alerts).toBe(0);
    expect((await spend(agent.id, 2.5)).alerts).toBe(1); // $5.50: 50 %
    expect((await spend(agent.id, 1)).alerts).toBe(0);
    // Two batches racing across 80 %: still one alert.
    const raced = await Promise.all([spend(agent.id, 1.5), spend(agent.id, 1.5)]); // $9.50
    expect(raced[0].alerts + raced[1].alerts).toBe(1);
    expect((await spend(agent.id, 0.25)).alerts).toBe(0);

    const alerts = await db().budgetAlert.findMany({ where: { budgetId: budget.id }, orderBy: { threshold: "asc" } });
    expect(alerts.map((a) => a.threshold)).toEqual([50, 80]);
    expect(await db().auditEvent.count({ where: { action: "budget.threshold_crossed", targetId: budget.id } })).toBe(2);

    // The console bell: admins and the team's lead see both; another team's lead would not.
    expect(await unreadAlertCount(org.admin)).toBe(2);
    expect(await unreadAlertCount(org.lead)).toBe(2);
    expect((await listAlerts(org.viewer)).map((a) => a.threshold).sort()).toEqual([50, 80]);
    await markAlertsRead(org.admin);
    expect(await unreadAlertCount(org.admin)).toBe(0);
    expect(await unreadAlertCount(org.lead)).toBe(2);

    const result = await deliverDueWebhooks();
    expect(result).toEqual({ sent: 2, failed: 0 });
    expect(await deliverDueWebhooks()).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(2);
    const thresholds = [];
    for (const r of received) {
      expect(verifyWebhookSignature(endpoint.secret, r.headers["x-acp-signature"] as string, r.body)).toEqual({
        ok: true,
      });
      expect(verifyWebhookSignature("whsec_wrong", r.headers["x-acp-signature"] as string, r.body).ok).toBe(false);
      const body = JSON.parse(r.body);
      expect(r.headers["x-acp-event"]).toBe("budget.threshold_crossed");
      expect(body).toMatchObject({
        type: "budget.threshold_crossed",
        data: { budget: { id: budget.id }, limitUsd: 10 },
      });
      expect(body.id).toBe(r.headers["x-acp-delivery"]);
      thresholds.push(body.data.threshold);
    }
    expect(thresholds.sort()).toEqual([50, 80]);
    const log = await db().webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(log.map((d) => [d.status, d.lastStatus, d.attempts])).toEqual([
      ["succeeded", 200, 1],
      ["succeeded", 200, 1],
    ]);
    await deleteWebhookEndpoint(org.admin, {}, endpoint.id);
  });

  it("retries a failed delivery with back-off and records each status code; a test event is sent at once", async () => {
    const org = await makeOrg();
    received.length = 0;
    const endpoint = await createWebhookEndpoint(org.admin, {}, { name: "flaky", url });
    respond = 503;
    const first = await sendTestWebhook(org.admin, {}, endpoint.id);
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503, lastError: "HTTP 503" });
    respond = 204;
    expect(await deliverDueWebhooks()).toEqual({ sent: 1, failed: 0 });
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "succeeded",
      attempts: 2,
      lastStatus: 204,
    });
    expect(received).toHaveLength(2);
    expect(JSON.parse(received[1].body)).toMatchObject({ type: "webhook.test" });

    await expect(createWebhookEndpoint(org.admin, {}, { name: "bad", url: "ftp://example.com" })).rejects.toThrow();
    await expect(createWebhookEndpoint(org.lead, {}, { name: "x", url })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(sendTestWebhook(org.viewer, {}, endpoint.id)).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("the SSRF guard refuses private targets when the endpoint is added and again when it is delivered to", async () => {
    const org = await makeOrg();
    const port = (server.address() as AddressInfo).port;
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
    try {
      const before = await db().webhookEndpoint.count();
      await expect(
        createWebhookEndpoint(org.admin, {}, { name: "metadata", url: "http://169.254.169.254/latest/meta-data" }),
      ).rejects.toMatchObject({
        kind: "validation",
        details: { url: [expect.stringContaining("private or reserved")] },
      });
      await expect(
        createWebhookEndpoint(org.admin, {}, { name: "self", url: `http://localhost:${port}/hook` }),
      ).rejects.toMatchObject({ kind: "validation" });
      // Events (and their signatures) go in clear text only to internal receivers.
      await expect(
        createWebhookEndpoint(org.admin, {}, { name: "clear", url: "http://hooks.example.com/acp" }),
      ).rejects.toMatchObject({ kind: "validation", details: { url: [expect.stringContaining("use https://")] } });
      expect(await db().webhookEndpoint.count()).toBe(before);

      // Endpoints allowed earlier (or whose name now resolves to a private address) are refused at delivery time.
      process.env.WEBHOOK_ALLOW_PRIVATE = "1";
      const byName = await createWebhookEndpoint(
        org.admin,
        {},
        { name: "by name", url: `https://localhost:${port}/hook` },
      );
      const byAddress = await createWebhookEndpoint(
        org.admin,
        {},
        { name: "by address", url: `https://127.0.0.1:${port}/hook` },
      );
      const clear = await createWebhookEndpoint(org.admin, {}, { name: "clear", url: "http://hooks.example.com/acp" });
      delete process.env.WEBHOOK_ALLOW_PRIVATE;
      const count = received.length;
      for (const [e, why] of [
        [byName, /private or reserved address/],
        [byAddress, /private or reserved address/],
        [clear, /http:\/\/ sends in clear text/], // saved while allowed: not sent in clear text now
      ] as const) {
        const d = await sendTestWebhook(org.admin, {}, e.id);
        expect(d).toMatchObject({ status: "pending", lastStatus: null, lastError: expect.stringMatching(why) });
        await deleteWebhookEndpoint(org.admin, {}, e.id);
      }
      expect(received.length).toBe(count);
    } finally {
      process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    }
  });
});
