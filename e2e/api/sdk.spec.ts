import { expect, test } from "@playwright/test";
import { AcpError, AcpRuntimeClient } from "../../lib/sdk/client";
import { tokenFor, uniqueSlug } from "../fixtures";

test("the runtime SDK caches config by ETag, authorizes, and retries usage without double counting", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const headers = { Authorization: `Bearer ${admin}` };
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers })).json()).items[0].teamId;
  const agent = await (
    await request.post("/api/v1/agents", {
      headers,
      data: { slug: uniqueSlug("sdk"), name: "SDK agent", teamId, environment: "dev", config: { model: "gpt-5-mini" } },
    })
  ).json();
  await request.post(`/api/v1/agents/${agent.id}/permissions`, {
    headers,
    data: { effect: "allow", action: "model:use", resource: "gpt-5*" },
  });
  const key = await (await request.post(`/api/v1/agents/${agent.id}/keys`, { headers, data: { name: "sdk" } })).json();

  // A flaky network: the first usage POST reaches the server but its answer is lost.
  let dropped = false;
  const flakyFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!dropped && String(input).endsWith("/runtime/usage")) {
      dropped = true;
      throw new TypeError("socket hang up");
    }
    return res;
  };
  const acp = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token, fetch: flakyFetch, retryBaseMs: 10 });

  const first = await acp.getConfig();
  expect(first).toMatchObject({ fromCache: false, config: { model: "gpt-5-mini" } });
  expect((await acp.getConfig()).fromCache).toBe(true);

  const d = await acp.authorize({ action: "model:use", resource: "gpt-5-mini", estimatedCostUsd: 0.01 });
  expect(d.decision).toBe("allow");
  acp.recordUsage({ model: "gpt-5-mini", inputTokens: 1000, outputTokens: 100, decisionId: d.decisionId });
  acp.recordUsage({ model: "gpt-5-mini", inputTokens: 2000, outputTokens: 200 });
  const result = await acp.flush();
  expect(dropped).toBe(true);
  // The retry resent the same ids: the server had already recorded them, so they count as duplicates, not twice.
  expect(result).toMatchObject({ accepted: 0, duplicates: 2 });
  expect(acp.pending).toBe(0);

  const bad = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: "acp_ak_nope" });
  await expect(bad.getConfig()).rejects.toBeInstanceOf(AcpError);
});

test("with a canary running, the SDK sends the routing key and reports the version each call ran on", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const headers = { Authorization: `Bearer ${admin}` };
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers })).json()).items[0].teamId;
  const agent = await (
    await request.post("/api/v1/agents", {
      headers,
      data: { slug: uniqueSlug("sdk-canary"), name: "SDK canary", teamId, environment: "dev", config: { model: "a" } },
    })
  ).json();
  await request.post(`/api/v1/agents/${agent.id}/versions`, { headers, data: { model: "b" } });
  const started = await request.post(`/api/v1/agents/${agent.id}/canary`, {
    headers,
    data: { versionNumber: 2, percent: 50, minCalls: 1000 },
  });
  expect(started.status()).toBe(201);
  const key = await (await request.post(`/api/v1/agents/${agent.id}/keys`, { headers, data: { name: "sdk" } })).json();
  const acp = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token });

  // Each session keeps its version (cached per routing key by ETag).
  const models = new Map<string, string>();
  for (let i = 0; i < 20; i++) {
    const session = `s-${i}`;
    const c = await acp.getConfig({ routingKey: session });
    models.set(session, c.config.model);
    expect(c.canary).toMatchObject({ version: 2, percent: 50, serving: c.version.number === 2 });
    expect((await acp.getConfig({ routingKey: session })).version.number).toBe(c.version.number);
  }
  // Sessions run side by side: each call is reported on its own session's version, whichever config came last.
  for (const [session, model] of models)
    acp.recordUsage({ model, inputTokens: 10, outputTokens: 1, costUsd: 0.001, routingKey: session });
  expect(await acp.flush()).toMatchObject({ accepted: 20 });
  const onCanary = [...models.values()].filter((m) => m === "b").length;
  expect(onCanary).toBeGreaterThan(0);
  expect(onCanary).toBeLessThan(20);
  const { canary } = await (await request.get(`/api/v1/agents/${agent.id}/canary`, { headers })).json();
  expect(canary.comparison).toMatchObject({ canary: { calls: onCanary }, stable: { calls: 20 - onCanary } });
});
