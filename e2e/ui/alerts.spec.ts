import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "../../lib/domain/webhooks/signature";
import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("admin adds a signed webhook, sends a test event; a crossed budget threshold rings the bell and is delivered", async ({
  page,
  request,
  browser,
}) => {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acp`;
  try {
    await signIn(page, "admin");
    await page.goto("/settings");
    const name = `e2e receiver ${Date.now()}`;
    await page.getByLabel("Endpoint name").fill(name);
    await page.getByLabel("URL", { exact: true }).fill(url);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("new-webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);

    await page.getByRole("button", { name: `Send test event to ${name}` }).click();
    await expect(page.getByText("Delivered: HTTP 200")).toBeVisible();
    const test = received.find((r) => JSON.parse(r.body).type === "webhook.test")!;
    expect(verifyWebhookSignature(secret, test.headers["x-acp-signature"] as string, test.body)).toEqual({ ok: true });

    // A fresh agent with a $1 budget alerting at 50 %; its runtime reports $0.60.
    const admin = await tokenFor(browser, "admin");
    const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
      .teamId;
    const agent = await (
      await request.post("/api/v1/agents", {
        headers: bearer(admin),
        data: {
          slug: uniqueSlug("alerting"),
          name: "Alerting agent",
          teamId,
          environment: "dev",
          config: { model: "gpt-5" },
        },
      })
    ).json();
    const budgetName = `Alert test ${agent.slug}`;
    expect(
      (
        await request.post("/api/v1/budgets", {
          headers: bearer(admin),
          data: {
            name: budgetName,
            scope: "agent",
            agentId: agent.id,
            period: "day",
            limitUsd: 1,
            thresholds: [50],
            hardAction: "notify",
          },
        })
      ).status(),
    ).toBe(201);
    const key = await (
      await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "rt" } })
    ).json();
    const usage = await request.post("/api/v1/runtime/usage", {
      headers: bearer(key.token),
      data: {
        events: [
          {
            id: "a1",
            timestamp: new Date().toISOString(),
            model: "gpt-5",
            inputTokens: 10,
            outputTokens: 10,
            costUsd: 0.6,
          },
        ],
      },
    });
    expect(await usage.json()).toEqual({ accepted: 1, duplicates: 0, unpriced: 0, costUsd: 0.6 });

    await expect.poll(() => received.filter((r) => r.body.includes(budgetName)).length).toBe(1);
    const alert = received.find((r) => r.body.includes(budgetName))!;
    expect(verifyWebhookSignature(secret, alert.headers["x-acp-signature"] as string, alert.body)).toEqual({
      ok: true,
    });
    expect(JSON.parse(alert.body)).toMatchObject({
      type: "budget.threshold_crossed",
      data: { threshold: 50, spentUsd: 0.6, limitUsd: 1 },
    });

    await page.reload();
    await expect(page.getByTestId("unread-count")).toBeVisible();
    const marked = page.waitForResponse((r) => r.url().endsWith("/api/v1/notifications/read"));
    await page.getByTestId("notification-bell").click();
    await expect(page.getByTestId("notifications")).toContainText(
      `Budget "${budgetName}" reached 50 % of its daily limit: $0.60 of $1.00`,
    );
    await expect(page.getByTestId("unread-count")).toHaveCount(0);
    // The page reads the answer, so its request finishes: Chromium leaves an unread no-store answer open (and a
    // page waiting for the network to go quiet waits for ever).
    expect(await (await marked).finished()).toBeNull();

    await page.goto("/settings");
    await page.getByRole("button", { name: `Delete webhook ${name}` }).click();
    await page
      .getByRole("alertdialog")
      .getByRole("button", { name: `Delete webhook ${name}` })
      .click();
    await expect(page.getByText(url)).toHaveCount(0);
  } finally {
    server.close();
  }
});
