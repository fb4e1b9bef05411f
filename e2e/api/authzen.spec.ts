import { expect, test } from "@playwright/test";
import { signIn, tokenFor, uniqueSlug } from "../fixtures";
import { cookieHeader } from "../sessions-helpers";

// The OpenID AuthZEN 1.0 decision endpoints: a policy enforcement point asks about an agent's call in the standard
// shape and gets the decision the agent's own authorize gets (same rules, budgets, approvals and record).

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
type Decision = { decision: boolean; context?: Record<string, unknown> };

test("AuthZEN evaluation and evaluations: allow, deny by rule, default deny, budget exhausted, approval required; 400 for malformed bodies", async ({
  request,
  browser,
  playwright,
  baseURL,
}) => {
  const [admin, lead, viewer] = await Promise.all([
    tokenFor(browser, "admin"),
    tokenFor(browser, "team_lead"),
    tokenFor(browser, "viewer"),
  ]);
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const slug = uniqueSlug("authzen");
  const created = await request.post("/api/v1/agents", {
    headers: bearer(admin),
    data: { slug, name: "AuthZEN agent", teamId, environment: "dev", config: { model: "gpt-5" } },
  });
  expect(created.status()).toBe(201);
  const agent = await created.json();
  const ruleIds: Record<string, string> = {};
  for (const [name, rule] of Object.entries({
    allow: { effect: "allow", action: "tool:invoke", resource: "github.*" },
    deny: { effect: "deny", action: "tool:invoke", resource: "github.delete_*" },
    approval: { effect: "allow", action: "tool:invoke", resource: "mcp:payments/refund", requiresApproval: true },
  })) {
    const res = await request.post(`/api/v1/agents/${agent.id}/permissions`, { headers: bearer(admin), data: rule });
    expect(res.status()).toBe(201);
    ruleIds[name] = (await res.json()).id;
  }
  const budget = await (
    await request.post("/api/v1/budgets", {
      headers: bearer(admin),
      data: {
        name: `${slug} daily`,
        scope: "agent",
        agentId: agent.id,
        period: "day",
        limitUsd: 1,
        hardAction: "block",
      },
    })
  ).json();
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "compare" } })
  ).json();

  // The gateway's token: made from an admin's session, limited to decisions.
  const context = await browser.newContext();
  await signIn(await context.newPage(), "admin");
  const session = { cookie: await cookieHeader(context), origin: new URL(baseURL!).origin };
  const api = await playwright.request.newContext({ baseURL });
  const pep = await (
    await api.post("/api/v1/tokens", { headers: session, data: { name: "gateway", scopes: ["decisions:evaluate"] } })
  ).json();
  expect(pep.scopes).toEqual(["decisions:evaluate"]);
  const gateway = bearer(pep.token);

  const subject = { type: "agent", id: slug };
  const ask = async (body: unknown, headers = gateway) => {
    const res = await request.post("/access/v1/evaluation", { headers, data: body });
    return { status: res.status(), body: (await res.json()) as Decision & { error?: { code: string } }, res };
  };
  const call = (resource: { type: string; id: string }, context?: Record<string, unknown>, action = "tool:invoke") => ({
    subject,
    action: { name: action },
    resource,
    ...(context ? { context } : {}),
  });

  // The table.
  const allow = await ask(call({ type: "tool", id: "github.search" }, { estimatedCostUsd: 0.1 }));
  expect(allow.status).toBe(200);
  expect(allow.body).toMatchObject({
    decision: true,
    context: { decision: "allow", code: "allowed", ruleId: ruleIds.allow },
  });
  expect(allow.body.context?.decisionId).toEqual(expect.any(String));

  const denied = await ask(call({ type: "tool", id: "github.delete_repo" }));
  expect(denied.body).toMatchObject({ decision: false, context: { code: "rule_denied", ruleId: ruleIds.deny } });
  // The very decision the agent's own authorize gets.
  const runtime = await (
    await request.post("/api/v1/runtime/authorize", {
      headers: bearer(key.token),
      data: { action: "tool:invoke", resource: "github.delete_repo" },
    })
  ).json();
  expect([runtime.decision, runtime.code, runtime.ruleId]).toEqual(["deny", "rule_denied", ruleIds.deny]);

  const fallthrough = await ask(call({ type: "table", id: "customers" }, undefined, "data:read"));
  expect(fallthrough.body).toMatchObject({ decision: false, context: { code: "no_matching_rule" } });

  const broke = await ask(call({ type: "tool", id: "github.search" }, { estimatedCostUsd: 5 }));
  expect(broke.body).toMatchObject({ decision: false, context: { code: "budget_exhausted", budgetId: budget.id } });

  const held = await ask(call({ type: "mcp", id: "payments/refund" }, { argumentsDigest: "a".repeat(64) }));
  expect(held.body).toMatchObject({
    decision: false,
    context: { decision: "pending", code: "approval_required", ruleId: ruleIds.approval },
  });
  const approval = await (
    await request.get(`/api/v1/approvals/${held.body.context?.approvalId}`, { headers: bearer(admin) })
  ).json();
  expect(approval).toMatchObject({ status: "pending", resource: "mcp:payments/refund" });
  // Four eyes: the admin whose gateway token asked cannot approve the call themselves; another admin can.
  const self = await request.post(`/api/v1/approvals/${approval.id}/approve`, { headers: bearer(admin), data: {} });
  expect(self.status()).toBe(403);
  expect((await self.json()).error.code).toBe("self_approval");
  const ops = await tokenFor(browser, "ops");
  expect(
    (await request.post(`/api/v1/approvals/${approval.id}/approve`, { headers: bearer(ops), data: {} })).status(),
  ).toBe(200);
  const redeemed = await ask(
    call({ type: "mcp", id: "payments/refund" }, { argumentsDigest: "a".repeat(64), approvalId: approval.id }),
  );
  expect(redeemed.body).toMatchObject({ decision: true, context: { decision: "allow", code: "allowed" } });

  // Who may ask: unknown and hidden agents look the same; other roles, other routes and no token are refused.
  expect(
    (await ask({ ...call({ type: "tool", id: "x" }), subject: { type: "agent", id: "no-such-agent" } })).body,
  ).toEqual({
    decision: false,
    context: { code: "unknown_subject", reason: 'No agent "no-such-agent"' },
  });
  expect(
    (await ask({ ...call({ type: "tool", id: "x" }), subject: { type: "user", id: "alice" } })).body,
  ).toMatchObject({
    decision: false,
    context: { code: "unsupported_subject" },
  });
  expect((await ask(call({ type: "tool", id: "github.search" }), bearer(lead))).body).toMatchObject({
    decision: false,
    context: { code: "unknown_subject" },
  });
  expect((await ask(call({ type: "tool", id: "github.search" }), bearer(viewer))).status).toBe(403);
  expect((await ask(call({ type: "tool", id: "github.search" }), {} as never)).status).toBe(401);
  const elsewhere = await request.get("/api/v1/agents", { headers: gateway });
  expect(elsewhere.status()).toBe(403);
  expect((await elsewhere.json()).error.code).toBe("token_scope");

  // Malformed: 400, and nothing decided.
  // (every denial is audited: the agent's newest audit event stays the same)
  const newest = async () =>
    (await (await request.get(`/api/v1/audit/events?agentId=${agent.id}&limit=1`, { headers: bearer(admin) })).json())
      .items[0]?.position;
  const before = await newest();
  for (const bad of [
    {},
    { subject, action: { name: "tool:invoke" } },
    { subject: { type: "agent" }, action: { name: "tool:invoke" }, resource: { type: "tool", id: "x" } },
    { ...call({ type: "tool", id: "github.search" }), context: { estimatedCostUsd: -1 } },
    { ...call({ type: "tool", id: "github.search" }), action: "tool:invoke" },
    { ...call({ type: "tool", id: "github.search" }), context: { note: "x".repeat(9000) } },
    [],
  ]) {
    const r = await ask(bad);
    expect(r.status, JSON.stringify(bad)).toBe(400);
    expect(r.body.error?.code).toBe("invalid_authzen_request");
  }
  const notJson = await request.post("/access/v1/evaluation", {
    headers: { ...gateway, "content-type": "application/json" },
    data: "{not json",
  });
  expect(notJson.status()).toBe(400);
  expect(await newest()).toBe(before);

  // The request id comes back.
  const traced = await request.post("/access/v1/evaluation", {
    headers: { ...gateway, "x-request-id": "pep-req-1" },
    data: call({ type: "tool", id: "github.search" }),
  });
  expect(traced.headers()["x-request-id"]).toBe("pep-req-1");

  // Batch: top-level defaults, items override whole keys; the three semantics.
  const batch = (evaluations_semantic?: string) =>
    request.post("/access/v1/evaluations", {
      headers: gateway,
      data: {
        subject,
        action: { name: "tool:invoke" },
        evaluations: [
          { resource: { type: "tool", id: "github.search" } },
          { resource: { type: "tool", id: "github.delete_repo" } },
          { resource: { type: "tool", id: "github.create_issue" } },
          { action: { name: "data:read" }, resource: { type: "table", id: "customers" } },
        ],
        ...(evaluations_semantic ? { options: { evaluations_semantic } } : {}),
      },
    });
  const codes = async (res: Awaited<ReturnType<typeof batch>>) => {
    expect(res.status()).toBe(200);
    return ((await res.json()).evaluations as Decision[]).map((d) => [d.decision, d.context?.code]);
  };
  expect(await codes(await batch())).toEqual([
    [true, "allowed"],
    [false, "rule_denied"],
    [true, "allowed"],
    [false, "no_matching_rule"],
  ]);
  expect(await codes(await batch("deny_on_first_deny"))).toEqual([
    [true, "allowed"],
    [false, "rule_denied"],
  ]);
  expect(await codes(await batch("permit_on_first_permit"))).toEqual([[true, "allowed"]]);
  const unknownSemantic = await request.post("/access/v1/evaluations", {
    headers: gateway,
    data: {
      subject,
      action: { name: "tool:invoke" },
      evaluations: [{ resource: { type: "tool", id: "github.search" } }],
      options: { evaluations_semantic: "all" },
    },
  });
  expect(unknownSemantic.status()).toBe(400);

  // An item still missing its resource is denied with its error; no items is one evaluation.
  const partial = await request.post("/access/v1/evaluations", {
    headers: gateway,
    data: {
      subject,
      action: { name: "tool:invoke" },
      evaluations: [{ resource: { type: "tool", id: "github.search" } }, {}],
    },
  });
  const items = (await partial.json()).evaluations as Decision[];
  expect(items[0].decision).toBe(true);
  expect(items[1]).toMatchObject({ decision: false, context: { error: { status: 400 } } });
  const single = await request.post("/access/v1/evaluations", {
    headers: gateway,
    data: call({ type: "tool", id: "github.search" }),
  });
  expect(await single.json()).toMatchObject({ decision: true, context: { code: "allowed" } });
  const tooMany = await request.post("/access/v1/evaluations", {
    headers: gateway,
    data: {
      subject,
      action: { name: "tool:invoke" },
      evaluations: Array.from({ length: 101 }, () => ({ resource: { type: "tool", id: "x" } })),
    },
  });
  expect(tooMany.status()).toBe(400);

  // The same rules as Cedar policies, for anyone who may read them (another team's lead: as absent).
  const exported = await request.get(`/api/v1/agents/${agent.id}/permissions/cedar`, { headers: bearer(viewer) });
  expect(exported.status()).toBe(200);
  expect(exported.headers()["content-type"]).toContain("text/plain");
  const policies = await exported.text();
  expect(policies).toContain(`permit (\n  principal == Agent::"${slug}"`);
  expect(policies).toContain(`@id("rule-2")\n@acp_rule("${ruleIds.deny}")\nforbid (`);
  expect(policies).toContain('@requires_approval("true")');
  expect((await request.get(`/api/v1/agents/${agent.id}/permissions/cedar`, { headers: bearer(lead) })).status()).toBe(
    404,
  );

  // Discovery.
  const meta = await request.get("/.well-known/authzen-configuration");
  expect(meta.status()).toBe(200);
  const origin = new URL(baseURL!).origin;
  expect(await meta.json()).toEqual({
    policy_decision_point: origin,
    access_evaluation_endpoint: `${origin}/access/v1/evaluation`,
    access_evaluations_endpoint: `${origin}/access/v1/evaluations`,
  });
  await Promise.all([context.close(), api.dispose()]);
});
