import { type APIRequestContext, expect, test } from "@playwright/test";
import { tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function setUp(request: APIRequestContext, admin: string, team?: string) {
  const teamId =
    team ?? (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0].teamId;
  const res = await request.post("/api/v1/agents", {
    headers: bearer(admin),
    data: {
      slug: uniqueSlug("runtime"),
      name: "Runtime test agent",
      teamId,
      environment: "dev",
      config: { model: "gpt-5", fallbackModel: "gpt-5-mini", tools: ["github.search"] },
    },
  });
  expect(res.status()).toBe(201);
  const agent = await res.json();
  for (const rule of [
    { effect: "allow", action: "tool:invoke", resource: "github.*" },
    { effect: "deny", action: "tool:invoke", resource: "github.delete_*" },
  ]) {
    expect(
      (await request.post(`/api/v1/agents/${agent.id}/permissions`, { headers: bearer(admin), data: rule })).status(),
    ).toBe(201);
  }
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "runtime" } })
  ).json();
  expect(key.token).toMatch(/^acp_ak_/);
  return { agent, key };
}

test("an agent runtime fetches config, asks may-I, reports usage; keys and the kill switch take effect at once", async ({
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const { agent, key } = await setUp(request, admin);
  const rt = bearer(key.token);

  const config = await request.get("/api/v1/runtime/config", { headers: rt });
  expect(config.status()).toBe(200);
  const etag = config.headers().etag;
  expect(etag).toBeTruthy();
  expect(await config.json()).toMatchObject({
    agent: { id: agent.id, status: "active" },
    version: { number: 1 },
    config: { model: "gpt-5", tools: ["github.search"] },
  });
  expect((await request.get("/api/v1/runtime/config", { headers: { ...rt, "If-None-Match": etag } })).status()).toBe(
    304,
  );

  const allowed = await (
    await request.post("/api/v1/runtime/authorize", {
      headers: rt,
      data: { action: "tool:invoke", resource: "github.search" },
    })
  ).json();
  expect(allowed).toMatchObject({ decision: "allow", code: "allowed", decisionId: expect.any(String) });
  const denied = await (
    await request.post("/api/v1/runtime/authorize", {
      headers: rt,
      data: { action: "tool:invoke", resource: "github.delete_repo" },
    })
  ).json();
  expect(denied).toMatchObject({ decision: "deny", code: "rule_denied", ruleId: expect.any(String) });
  const bad = await request.post("/api/v1/runtime/authorize", { headers: rt, data: { action: 42 } });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.details).toHaveProperty("resource");

  const events = [
    {
      id: "u1",
      timestamp: new Date().toISOString(),
      model: "gpt-5",
      inputTokens: 1_000_000,
      cachedInputTokens: 400_000,
      outputTokens: 100_000,
      tool: "github.search",
    },
    { id: "u2", timestamp: new Date().toISOString(), model: "an-unpriced-model", inputTokens: 10, outputTokens: 10 },
  ];
  const usage = await (await request.post("/api/v1/runtime/usage", { headers: rt, data: { events } })).json();
  expect(usage).toEqual({ accepted: 2, duplicates: 0, unpriced: 1, costUsd: 1.8 });
  expect(await (await request.post("/api/v1/runtime/usage", { headers: rt, data: { events } })).json()).toEqual({
    accepted: 0,
    duplicates: 2,
    unpriced: 0,
    costUsd: 0,
  });
  expect(
    (await request.post("/api/v1/runtime/usage", { headers: rt, data: { events: [{ id: "u3" }] } })).status(),
  ).toBe(422);
  // The agent's budget lists its spend and, beside it, the call whose cost is unknown (never a silent $0).
  const budget = await request.post("/api/v1/budgets", {
    headers: bearer(admin),
    data: { name: "e2e daily", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1000, hardAction: "notify" },
  });
  expect(budget.status()).toBe(201);
  const listed = await (await request.get(`/api/v1/budgets?agentId=${agent.id}`, { headers: bearer(admin) })).json();
  expect(listed.items).toEqual([
    expect.objectContaining({
      name: "e2e daily",
      current: expect.objectContaining({ spentUsd: 1.8, unpricedCalls: 1 }),
    }),
  ]);

  const suspended = await request.post(`/api/v1/agents/${agent.id}/suspend`, {
    headers: bearer(admin),
    data: { reason: "e2e kill switch" },
  });
  expect((await suspended.json()).status).toBe("suspended");
  const blocked = await request.get("/api/v1/runtime/config", { headers: rt });
  expect(blocked.status()).toBe(403);
  expect((await blocked.json()).error.code).toBe("agent_suspended");
  expect(
    await (
      await request.post("/api/v1/runtime/authorize", {
        headers: rt,
        data: { action: "tool:invoke", resource: "github.search" },
      })
    ).json(),
  ).toMatchObject({ decision: "deny", code: "agent_suspended" });
  await request.post(`/api/v1/agents/${agent.id}/resume`, { headers: bearer(admin), data: {} });
  expect((await request.get("/api/v1/runtime/config", { headers: rt })).status()).toBe(200);

  const rotated = await (
    await request.post(`/api/v1/agents/${agent.id}/keys/${key.id}/rotate`, {
      headers: bearer(admin),
      data: { graceMinutes: 0 },
    })
  ).json();
  expect((await request.get("/api/v1/runtime/config", { headers: bearer(rotated.token) })).status()).toBe(200);
  expect((await request.get("/api/v1/runtime/config", { headers: rt })).status()).toBe(401);
  await request.delete(`/api/v1/agents/${agent.id}/keys/${rotated.id}`, { headers: bearer(admin) });
  const revoked = await request.get("/api/v1/runtime/config", { headers: bearer(rotated.token) });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.code).toBe("unauthenticated");

  const keys = await (await request.get(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin) })).json();
  expect(JSON.stringify(keys)).not.toMatch(/hash|acp_ak_[a-f0-9]{8}_/);
});

test("far-dated usage is refused with 422 naming the field, so a $10 block budget cannot be spent three times over", async ({
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  // A team of its own: the seeded teams' monthly block budgets play no part in this decision.
  const team = await request.post("/api/v1/teams", {
    headers: bearer(admin),
    data: { slug: uniqueSlug("overshoot"), name: "Overshoot test team" },
  });
  expect(team.status()).toBe(201);
  const { agent, key } = await setUp(request, admin, (await team.json()).id);
  const rt = bearer(key.token);
  expect(
    (
      await request.post(`/api/v1/agents/${agent.id}/permissions`, {
        headers: bearer(admin),
        data: { effect: "allow", action: "model:use", resource: "gpt-5*" },
      })
    ).status(),
  ).toBe(201);
  const budget = await request.post("/api/v1/budgets", {
    headers: bearer(admin),
    data: { name: "overshoot", scope: "agent", agentId: agent.id, period: "day", limitUsd: 10, hardAction: "block" },
  });
  expect(budget.status()).toBe(201);
  const ask = async () =>
    (
      await request.post("/api/v1/runtime/authorize", {
        headers: rt,
        data: { action: "model:use", resource: "gpt-5", estimatedCostUsd: 9 },
      })
    ).json();
  const first = await ask();
  expect(first).toMatchObject({ decision: "allow" });

  const event = (id: string, timestamp: string) => ({
    id,
    timestamp,
    model: "gpt-5",
    inputTokens: 1,
    outputTokens: 1,
    costUsd: 9,
    decisionId: first.decisionId,
  });
  const now = new Date().toISOString();
  const far = await request.post("/api/v1/runtime/usage", {
    headers: rt,
    data: {
      events: [
        event("f0", "9999-12-31T00:00:00Z"),
        event("f1", now),
        event("f2", now),
        event("f3", "0001-01-01T00:00:00Z"),
      ],
    },
  });
  expect(far.status()).toBe(422);
  const error = (await far.json()).error;
  expect(error.code).toBe("validation_failed");
  expect(Object.keys(error.details).sort()).toEqual(["events.0.timestamp", "events.3.timestamp"]);
  expect(error.details["events.3.timestamp"][0]).toMatch(/late-arrival window/);
  expect(await ask()).toMatchObject({ decision: "deny", code: "budget_exhausted" }); // the $9 is still reserved

  // Dated yesterday (inside the window): accepted, and charged to today's period, where the decision reserved.
  const late = await request.post("/api/v1/runtime/usage", {
    headers: rt,
    data: { events: [event("late", new Date(Date.now() - 26 * 3_600_000).toISOString())] },
  });
  expect(await late.json()).toMatchObject({ accepted: 1 });
  expect(await ask()).toMatchObject({ decision: "deny", code: "budget_exhausted" });

  // Its history: yesterday ended before the budget was created, today did not.
  const history = await request.get(`/api/v1/budgets/${(await budget.json()).id}/history?periods=2`, {
    headers: bearer(admin),
  });
  expect(history.status()).toBe(200);
  const periods = (await history.json()).periods;
  expect(periods.map((p: { beforeBudget: boolean }) => p.beforeBudget)).toEqual([true, false]);
});

test("a viewer cannot issue keys or suspend agents", async ({ request, browser }) => {
  const viewer = await tokenFor(browser, "viewer");
  const agent = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(viewer) })).json()).items[0];
  expect(
    (await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(viewer), data: { name: "x" } })).status(),
  ).toBe(403);
  expect(
    (
      await request.post(`/api/v1/agents/${agent.id}/suspend`, { headers: bearer(viewer), data: { reason: "x" } })
    ).status(),
  ).toBe(403);
  expect((await request.get("/api/v1/runtime/config", { headers: bearer(viewer) })).status()).toBe(401);
});
