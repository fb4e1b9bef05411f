import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("a canary at 20 % with a cost regression is rolled back by its guard: stable serves everyone, audited, webhook delivered", async ({
  page,
  request,
  browser,
}) => {
  const received: { type: string; data: { agentId?: string; version?: number; automatic?: boolean } }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const admin = await tokenFor(browser, "admin");
  const hook = await (
    await request.post("/api/v1/webhooks", {
      headers: bearer(admin),
      data: { name: `canary ${Date.now()}`, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/acp` },
    })
  ).json();
  try {
    const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
      .teamId;
    const slug = uniqueSlug("canary");
    const agent = await (
      await request.post("/api/v1/agents", {
        headers: bearer(admin),
        data: { slug, name: "Canary agent", teamId, environment: "dev", config: { model: "gpt-5-mini" } },
      })
    ).json();
    expect(
      (
        await request.post(`/api/v1/agents/${agent.id}/versions`, {
          headers: bearer(admin),
          data: { model: "gpt-5", note: "bigger model" },
        })
      ).status(),
    ).toBe(201);
    const key = (
      await (
        await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "runtime" } })
      ).json()
    ).token;

    // The admin starts the canary in the console: v2 on 20 % of routing keys, judged after 20 calls each side.
    await signIn(page, "admin");
    await page.goto(`/agents/${slug}?tab=versions`);
    const form = page.getByRole("form", { name: "Start a canary" });
    await form.getByLabel("Version").selectOption("2");
    await form.getByLabel("Share of traffic (%)").fill("20");
    await form.getByLabel("Judge after (calls each side)").fill("20");
    await form.getByLabel("Reason").fill("Try the bigger model");
    await form.getByRole("button", { name: "Start canary" }).click();
    // The card in the page (while a page streams in, a hidden copy of part of it can be in the document too).
    const card = page.locator("#content").getByTestId("canary");
    await expect(card).toContainText("v2 on 20 % of routing keys beside v1");
    await expect(card).toContainText("running");

    // 200 sessions fetch their config: about a fifth get v2, and each reports usage on the version it ran.
    const served = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const k = `session-${i}`;
      const r = await request.get(`/api/v1/runtime/config?routingKey=${k}`, { headers: bearer(key) });
      served.set(k, (await r.json()).version.number);
    }
    const onCanary = [...served].filter(([, v]) => v === 2).map(([k]) => k);
    expect(onCanary.length).toBeGreaterThan(20);
    expect(onCanary.length).toBeLessThan(60);
    const again = await request.get("/api/v1/runtime/config", {
      headers: { ...bearer(key), "X-ACP-Routing-Key": onCanary[0] },
    });
    expect((await again.json()).version.number).toBe(2);
    // The regression: v2 costs twice as much per call.
    const events = [...served.values()].map((v, i) => ({
      id: `${slug}-${i}`,
      timestamp: new Date().toISOString(),
      model: v === 2 ? "gpt-5" : "gpt-5-mini",
      inputTokens: 1000,
      outputTokens: 100,
      costUsd: v === 2 ? 0.02 : 0.01,
      latencyMs: 300,
      version: v,
    }));
    expect((await request.post("/api/v1/runtime/usage", { headers: bearer(key), data: { events } })).status()).toBe(
      200,
    );

    // The guard rolls it back on its own.
    await expect
      .poll(
        async () =>
          (await (await request.get(`/api/v1/agents/${agent.id}/canary`, { headers: bearer(admin) })).json()).canary
            .status,
        { timeout: 20_000 },
      )
      .toBe("rolled_back");
    for (const k of onCanary.slice(0, 10)) {
      const r = await request.get(`/api/v1/runtime/config?routingKey=${k}`, { headers: bearer(key) });
      expect((await r.json()).version.number).toBe(1);
    }
    const audit = await (
      await request.get(`/api/v1/audit/events?action=deployment.canary_rolled_back&agentId=${agent.id}`, {
        headers: bearer(admin),
      })
    ).json();
    expect(audit.items[0]).toMatchObject({ actorType: "system", after: { version: 2, stableVersion: 1 } });
    expect(audit.items[0].reason).toContain("cost per call +100 %");
    await expect
      .poll(() => received.find((e) => e.type === "canary.rolled_back" && e.data.agentId === agent.id)?.data, {
        timeout: 20_000,
      })
      .toMatchObject({ version: 2, automatic: true });

    await page.reload();
    await expect(card).toContainText("rolled back");
    await expect(card).toContainText("Guard breached: cost per call +100 % (limit +25 %)");
    await expect(page.locator("#content").getByTestId("canary-comparison")).toContainText("$0.02");
  } finally {
    await request.delete(`/api/v1/webhooks/${hook.id}`, { headers: bearer(admin) });
    server.close();
  }
});

test("in a four-eyes environment a canary is a request: another admin approves it on Approvals and it starts", async ({
  page,
  request,
  browser,
}) => {
  const [admin, ops] = [await tokenFor(browser, "admin"), await tokenFor(browser, "ops")];
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const slug = uniqueSlug("canary-4e");
  // A prod agent: its first version goes live on a second admin's approval.
  const agent = await (
    await request.post("/api/v1/agents", {
      headers: bearer(admin),
      data: { slug, name: "Four-eyes canary", teamId, environment: "prod", config: { model: "gpt-5-mini" } },
    })
  ).json();
  const first = await request.post(`/api/v1/change-requests/${agent.pendingChange.requestId}/approve`, {
    headers: bearer(ops),
    data: {},
  });
  expect(first.status()).toBe(200);
  await request.post(`/api/v1/agents/${agent.id}/versions`, { headers: bearer(admin), data: { model: "gpt-5" } });

  // Through the API, one admin's start is a 202 request, and nothing serves v2 yet.
  const viaApi = await request.post(`/api/v1/agents/${agent.id}/canary`, {
    headers: bearer(admin),
    data: { versionNumber: 2, percent: 5 },
  });
  expect(viaApi.status()).toBe(202);
  const apiRequest = await viaApi.json();
  expect(apiRequest).toMatchObject({ status: "pending_approval" });
  await request.post(`/api/v1/change-requests/${apiRequest.requestId}/reject`, {
    headers: bearer(admin),
    data: { note: "withdrawn: the console asks below" },
  });

  // In the console the form says so, and asks.
  await signIn(page, "admin");
  await page.goto(`/agents/${slug}?tab=versions`);
  const form = page.getByRole("form", { name: "Start a canary" });
  await expect(form).toContainText("the canary starts when another admin approves your request");
  await form.getByLabel("Share of traffic (%)").fill("20");
  await form.getByLabel("Reason").fill("try the bigger model");
  await form.getByRole("button", { name: "Request canary" }).click();
  await expect(form.getByRole("status")).toContainText("starts when another admin approves it");
  expect(
    (await (await request.get(`/api/v1/agents/${agent.id}/canary`, { headers: bearer(admin) })).json()).canary,
  ).toBe(null);

  // The other admin reads what is asked on Approvals and approves it: the canary runs.
  const other = await browser.newPage();
  await signIn(other, "ops");
  await other.goto("/approvals");
  const row = other
    .getByTestId("change-requests")
    .locator("li", { hasText: `Try ${slug} v2 on 20 % of routing keys beside v1` });
  await expect(row).toContainText("cost per call rises over 25 %");
  await row.getByRole("button", { name: "Approve" }).click();
  await other.getByRole("alertdialog").getByRole("button", { name: "Approve" }).click();
  await expect(other.getByRole("status")).toContainText("Request approved");
  await other.close();
  const canary = (await (await request.get(`/api/v1/agents/${agent.id}/canary`, { headers: bearer(admin) })).json())
    .canary;
  expect(canary).toMatchObject({ status: "running", versionNumber: 2, percent: 20, reason: "try the bigger model" });
});
