import { type APIRequestContext, expect, test } from "@playwright/test";
import { signIn, tokenFor, uniqueSlug } from "../fixtures";

/**
 * Hostile input answers a 4xx with the error envelope, never a 5xx: lone surrogates, deep nesting, forged cursors,
 * bad percent-encoding in paths, malformed cookies. Each case here once answered 500.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const json = { "content-type": "application/json" };

async function expectRefused(res: Awaited<ReturnType<APIRequestContext["get"]>>, status: number, code?: string) {
  const text = await res.text();
  expect(res.status(), text.slice(0, 300)).toBe(status);
  const body = JSON.parse(text);
  expect(typeof body.error?.code).toBe("string");
  if (code) expect(body.error.code).toBe(code);
}

test("lone surrogates, deep nesting, forged cursors and bad path encoding get a 4xx, never a 5xx", async ({
  request,
  browser,
}) => {
  const admin = bearer(await tokenFor(browser, "admin"));
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: admin })).json()).items[0].teamId;
  const created = await request.post("/api/v1/agents", {
    headers: admin,
    data: {
      slug: uniqueSlug("hostile"),
      name: "Hostile input",
      teamId,
      environment: "dev",
      config: { model: "gpt-5" },
    },
  });
  expect(created.status()).toBe(201);
  const agent = await created.json();
  const key = bearer(
    (
      await (
        await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: admin, data: { name: "hostile" } })
      ).json()
    ).token,
  );

  // A lone surrogate (written as a JSON escape: it cannot be sent as UTF-8) on a denied action, in a usage model, in a name.
  await expectRefused(
    await request.post("/api/v1/runtime/authorize", {
      headers: { ...key, ...json },
      data: '{"action":"tool:invoke","resource":"x\\ud800"}',
    }),
    422,
    "lone_surrogate",
  );
  const event = `{"events":[{"id":"s1","timestamp":"${new Date().toISOString()}","model":"gpt\\udfff","inputTokens":1,"outputTokens":1}]}`;
  await expectRefused(
    await request.post("/api/v1/runtime/usage", { headers: { ...key, ...json }, data: event }),
    422,
    "lone_surrogate",
  );
  await expectRefused(
    await request.patch(`/api/v1/agents/${agent.id}`, {
      headers: { ...admin, ...json },
      data: '{"name":"half \\ud83d pair"}',
    }),
    422,
    "lone_surrogate",
  );
  await expectRefused(
    await request.post("/api/v1/teams", {
      headers: { ...admin, ...json },
      data: '{"slug":"surrogate-team","name":"\\udc00"}',
    }),
    422,
    "lone_surrogate",
  );
  // A well-formed pair is ordinary text.
  const pair = await request.patch(`/api/v1/agents/${agent.id}`, {
    headers: { ...admin, ...json },
    data: '{"name":"rocket \\ud83d\\ude80"}',
  });
  expect(pair.status()).toBe(200);
  expect((await pair.json()).name).toBe("rocket 🚀");

  // Nesting far deeper than any real payload: refused before it is parsed.
  const deep = `{"action":"tool:invoke","resource":"x","context":${"[".repeat(5000)}${"]".repeat(5000)}}`;
  await expectRefused(
    await request.post("/api/v1/runtime/authorize", { headers: { ...key, ...json }, data: deep }),
    422,
    "too_deep",
  );
  await expectRefused(
    await request.post("/api/v1/agents", {
      headers: { ...admin, ...json },
      data: `{"config":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`,
    }),
    422,
    "too_deep",
  );
  // Brackets inside strings are text, not nesting.
  const inString = await request.post("/api/v1/runtime/authorize", {
    headers: { ...key, ...json },
    data: JSON.stringify({ action: "tool:invoke", resource: "[".repeat(500), context: { note: "{".repeat(500) } }),
  });
  expect(inString.status()).toBe(200);

  // Forged cursors: valid base64url of the wrong shape.
  for (const forged of [{}, [], [1], null, 42, [null, null], ["2026-01-01", {}], { a: 1 }].map((v) =>
    Buffer.from(JSON.stringify(v)).toString("base64url"),
  )) {
    for (const path of [
      "/api/v1/agents",
      "/api/v1/audit/events",
      "/api/v1/users",
      "/api/v1/budgets",
      "/api/v1/deployment-requests",
    ]) {
      const res = await request.get(`${path}?cursor=${forged}`, { headers: admin });
      expect(res.status(), `${path} cursor ${Buffer.from(forged, "base64url").toString()}`).toBeLessThan(500);
    }
    await expectRefused(await request.get(`/api/v1/agents?cursor=${forged}`, { headers: admin }), 422);
  }
  expect((await request.get("/api/v1/agents?q=%ED%A0%80&cursor=%ED%A0%80", { headers: admin })).status()).toBeLessThan(
    500,
  );
  // A (time, id) cursor whose time or id PostgreSQL cannot take: a forged cursor, not a query error.
  for (const forged of [
    ["0000-01-01T00:00:00Z", "x"],
    ["2025-01-01T00:00:00Z", "\u0000"],
  ].map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")))
    for (const path of ["/api/v1/approvals", `/api/v1/agents/${agent.id}/deployments`])
      await expectRefused(await request.get(`${path}?cursor=${forged}`, { headers: admin }), 422);

  // Bad percent-encoding in a path segment.
  for (const path of [
    "/api/v1/agents/%E0%A4%A/keys",
    "/api/v1/agents/%ED%A0%80",
    "/api/v1/agents/%/versions",
    "/api/v1/budgets/%C0",
    // Ending like a static file does not take a path past the proxy's check.
    "/api/v1/agents/%E0%A4%A.txt",
    "/agents/%E0%A4%A.png",
  ]) {
    await expectRefused(await request.get(path, { headers: admin }), 400, "bad_path");
  }
  // A NUL in a console page's path or query: refused, as the API refuses it (it reached the database: a 500 page).
  for (const path of ["/agents/%00", "/audit?q=%00"])
    await expectRefused(await request.get(path, { maxRedirects: 0 }), 422, "nul_character");
});

test("a malformed callback-url or session cookie does not break console pages", async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "admin");
  const session = (await context.cookies()).find((c) => c.name === "next-auth.session-token")!;
  expect(session).toBeTruthy();
  await context.close();
  for (const callback of [
    "%",
    "http://[",
    "javascript:alert(1)",
    "\\\\evil.example",
    "%E0%A4%A",
    "http://evil.example/x",
    "😀",
  ]) {
    const cookie = `next-auth.session-token=${session.value}; next-auth.callback-url=${encodeURIComponent(callback).replace(/%25/g, "%")}`;
    for (const path of ["/agents", "/settings", "/spend"]) {
      const res = await request.get(`${baseURL}${path}`, { headers: { cookie }, maxRedirects: 0 });
      expect(res.status(), `${path} with callback-url ${callback}`).toBe(200);
    }
  }
  for (const bad of ["x", "a.b.c.d.e", "%", "eyJ", "..", "😀"]) {
    const res = await request.get(`${baseURL}/agents`, {
      headers: { cookie: `next-auth.session-token=${encodeURIComponent(bad)}; next-auth.callback-url=%` },
      maxRedirects: 0,
    });
    expect(res.status(), `session ${bad}`).toBeLessThan(400);
  }
});

test("a server action records at most 100 characters of a client's X-Request-Id, as the API does", async ({
  browser,
  request,
}) => {
  const admin = bearer(await tokenFor(browser, "admin"));
  const context = await browser.newContext({ extraHTTPHeaders: { "x-request-id": `huge-${"r".repeat(5000)}` } });
  const page = await context.newPage();
  await signIn(page, "viewer");
  await page.goto("/settings");
  const name = uniqueSlug("request-id");
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toBeVisible();
  await context.close();
  const events = (
    await (
      await request.get("/api/v1/audit/events?action=token.created&actor=viewer%40acp.local&limit=20", {
        headers: admin,
      })
    ).json()
  ).items as { requestId: string | null; after: { name?: string } | null }[];
  const mine = events.find((e) => e.after?.name === name);
  expect(mine, "the token.created event").toBeTruthy();
  expect(mine!.requestId).toBe(`huge-${"r".repeat(95)}`);
});
