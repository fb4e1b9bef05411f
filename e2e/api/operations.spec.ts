import http from "node:http";
import { expect, test } from "@playwright/test";
import { DIRECT_ROUTES } from "../../lib/http/direct-routes.mjs";
import { awayFromWindowEdge, signIn, tokenFor } from "../fixtures";

test("liveness and readiness probes", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect((await live.json()).status).toBe("ok");
  const ready = await request.get("/api/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready", database: "ok", pendingMigrations: [] });
});

test("console pages carry security headers; the session cookie is HttpOnly and SameSite", async ({ page, request }) => {
  const res = await request.get("/sign-in");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("default-src 'self'");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-powered-by"]).toBeUndefined();
  await signIn(page, "viewer");
  const session = (await page.context().cookies()).find((c) => c.name.includes("session-token"))!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  // Served over plain HTTP here; with an https NEXTAUTH_URL next-auth names it __Secure-… and sets Secure.
  expect(session.secure).toBe(false);
});

test("a page runs only the scripts it was served with: a per-request nonce, no inline handler or injected markup runs", async ({
  page,
  request,
}) => {
  const scriptSrc = async (path: string) =>
    ((await request.get(path)).headers()["content-security-policy"] ?? "")
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("script-src"));
  const [first, second] = [await scriptSrc("/sign-in"), await scriptSrc("/sign-in")];
  expect(first).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'$/);
  expect(second).not.toBe(first); // a new nonce for every request
  expect(await scriptSrc("/api/v1/health")).toBe("script-src 'self'");
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/.test(m.text())) violations.push(m.text());
  });
  await signIn(page, "viewer");
  // The page hydrated under the policy (a client-side navigation works)…
  await page.getByRole("link", { name: "Spend", exact: true }).first().click();
  await expect(page).toHaveURL(/\/spend/);
  expect(violations).toEqual([]);
  // …and markup an attacker got into it does not run: neither an inline handler nor a script the parser inserts.
  const inject = (html: string) =>
    page.evaluate((h) => {
      const div = document.createElement("div");
      div.innerHTML = h;
      document.body.append(div);
    }, html);
  await inject(`<img src="/no-such-image.png" onerror="window.__xss = 'handler'">`);
  await expect.poll(() => violations.length).toBe(1);
  await inject(`<iframe srcdoc="<script>parent.__xss = 'srcdoc'</script>"></iframe>`);
  await expect.poll(() => violations.length).toBe(2);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  // One policy on the page, not two (whose intersection would be the stricter).
  const answer = await request.get("/sign-in");
  expect(answer.headersArray().filter((h) => h.name.toLowerCase() === "content-security-policy")).toHaveLength(1);
});

test("the agent runtime's routes the server answers itself carry the headers Next gives every answer", async ({
  baseURL,
}) => {
  const security = (h: Headers) =>
    [
      "content-security-policy",
      "referrer-policy",
      "x-content-type-options",
      "x-frame-options",
      "permissions-policy",
    ].map((name) => [name, h.get(name)]);
  const next = await fetch(`${baseURL}/api/v1/health`);
  expect(security(next.headers).every(([, v]) => v)).toBe(true);
  for (const path of DIRECT_ROUTES) {
    // A Host no URL can hold changes nothing: the server answers from its own origin.
    for (const headers of [{}, { Host: "a b@c:x" }]) {
      const res = await new Promise<{ status: number; headers: Headers }>((resolve, reject) => {
        const req = http.request(`${baseURL}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
        });
        req.on("response", (r) => {
          r.resume();
          const h = new Headers();
          for (const [k, v] of Object.entries(r.headers)) if (typeof v === "string") h.set(k, v);
          resolve({ status: r.statusCode!, headers: h });
        });
        req.on("error", reject);
        req.end("{}");
      });
      expect(res.status, path).toBe(401);
      expect(security(res.headers), path).toEqual(security(next.headers));
      expect(res.headers.get("content-length"), path).toBeTruthy();
    }
  }
  // A body the route never reads (refused before it) leaves the connection usable: the next call on it is answered.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(`${baseURL}/api/v1/runtime/usage`, {
        method: "POST",
        agent,
        headers: { "content-type": "application/json" },
      });
      req.setTimeout(10_000, () => req.destroy(new Error("no answer on the kept-alive connection")));
      req.on("response", (r) => {
        r.resume();
        r.on("end", () => resolve(r.statusCode!));
      });
      req.on("error", reject);
      req.end(body);
    });
  try {
    expect(await post(`{"events": [${" ".repeat(512 * 1024)}]}`)).toBe(401);
    expect(await post("{}")).toBe(401);
    expect(await post("{}")).toBe(401);
  } finally {
    agent.destroy();
  }
});

test("oversized bodies get 413 and request ids come back", async ({ request, browser }) => {
  const token = await tokenFor(browser, "admin");
  const res = await request.post("/api/v1/agents", {
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "e2e-req-413" },
    data: JSON.stringify({ name: "x".repeat(1_200_000) }),
  });
  expect(res.status()).toBe(413);
  expect(res.headers()["x-request-id"]).toBe("e2e-req-413");
  expect((await res.json()).error.code).toBe("payload_too_large");
});

/**
 * Streams a chunked body of up to 12.5 MiB (64 KiB every 50 ms) and stops at the answer: how many chunks it took.
 * Before, Next buffered a copy of the whole body for the proxy and started the route only once it had all arrived.
 */
function slowChunkedPost(url: string, headers: Record<string, string>): Promise<{ status: number; chunks: number }> {
  return new Promise((resolve, reject) => {
    let chunks = 0;
    let done = false;
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } });
    req.on("response", (res) => {
      done = true;
      res.resume();
      resolve({ status: res.statusCode!, chunks });
      req.destroy();
    });
    req.on("error", (err) => (done ? undefined : reject(err)));
    const next = () => {
      if (done) return;
      if (chunks === 200) return void req.end("]}");
      chunks++;
      req.write(`${chunks === 1 ? '{"events": [' : ""}${" ".repeat(64 * 1024)}`, () => setTimeout(next, 50));
    };
    next();
  });
}

test("the runtime's POST routes answer a caller without a key before the body ends, and stop reading an oversized one", async ({
  request,
  browser,
  baseURL,
}) => {
  for (const path of ["/api/v1/runtime/usage", "/api/v1/runtime/authorize", "/api/v1/otlp/v1/traces"]) {
    const anonymous = await slowChunkedPost(`${baseURL}${path}`, {});
    expect(anonymous.status, path).toBe(401);
    expect(anonymous.chunks, path).toBeLessThan(200);
  }
  const admin = { Authorization: `Bearer ${await tokenFor(browser, "admin")}` };
  const agent = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: admin })).json()).items[0];
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: admin, data: { name: "slow" } })
  ).json();
  const oversized = await slowChunkedPost(`${baseURL}/api/v1/runtime/usage`, { Authorization: `Bearer ${key.token}` });
  expect(oversized.status).toBe(413);
  // 1 MiB is 16 chunks: refused once past it, not after 12.5 MiB.
  expect(oversized.chunks).toBeLessThan(40);
  // Badly encoded paths under the runtime are still refused before any route (400, not Next's 500).
  for (const path of ["/api/v1/runtime/approvals/%E0%A4%A", "/api/v1/runtime/usage%ZZ", "/api/v1/otlp/v1/%C0"]) {
    const res = await request.get(path, { headers: { Authorization: `Bearer ${key.token}` } });
    expect(res.status(), path).toBe(400);
    expect((await res.json()).error.code).toBe("bad_path");
  }
});

test("API answers are kept by no cache; small ones go out as they are, larger ones gzipped", async ({
  request,
  browser,
}) => {
  const gzip = { "Accept-Encoding": "gzip" };
  const admin = { ...gzip, Authorization: `Bearer ${await tokenFor(browser, "admin")}` };
  const list = await request.get("/api/v1/agents", { headers: admin });
  expect(list.status()).toBe(200);
  expect(list.headers()["content-encoding"]).toBe("gzip");
  expect(list.headers()["cache-control"]).toBe("no-store");
  expect((await list.json()).items.length).toBeGreaterThan(1);
  const agent = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: admin })).json()).items[0];
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: admin, data: { name: "small answers" } })
  ).json();
  const asAgent = { ...gzip, Authorization: `Bearer ${key.token}` };
  // An answer, refusals of the body and of the caller, a missing agent: each a few hundred bytes, none gzipped.
  for (const [res, status] of [
    [
      await request.post("/api/v1/runtime/authorize", {
        headers: asAgent,
        data: { action: "tool:invoke", resource: "x" },
      }),
      200,
    ],
    [await request.post("/api/v1/runtime/authorize", { headers: asAgent, data: { action: 5 } }), 422],
    [await request.post("/api/v1/runtime/authorize", { headers: gzip, data: {} }), 401],
    [await request.get("/api/v1/agents/no-such-agent", { headers: admin }), 404],
  ] as const) {
    expect(res.status()).toBe(status);
    expect(res.headers()["content-encoding"]).toBeUndefined();
    expect(res.headers()["cache-control"]).toBe("no-store, no-transform");
    expect(res.headers()["x-request-id"]).toBeTruthy();
    expect(typeof (await res.json())).toBe("object");
  }
  // A download a route builds itself (YAML here; CSV, Cedar) is kept by no cache either.
  const yaml = await request.get("/api/v1/config/export?format=yaml", { headers: admin });
  expect([yaml.status(), yaml.headers()["cache-control"]]).toEqual([200, "no-store"]);
  // The configuration keeps its own revalidation (ETag, no-cache).
  const config = await request.get("/api/v1/runtime/config", { headers: asAgent });
  expect(config.headers()["cache-control"]).toMatch(/^no-cache/);
  expect(config.headers().etag).toBeTruthy();
  expect((await request.delete(`/api/v1/agents/${agent.id}/keys/${key.id}`, { headers: admin })).status()).toBeLessThan(
    300,
  );
});

test("repeated failed sign-ins for one account from one address are throttled and audited", async ({
  page,
  browser,
}) => {
  const email = `nobody-${Date.now()}@acp.local`;
  await awayFromWindowEdge();
  for (let i = 0; i < 6; i++) {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText(
      i < 5
        ? "That e-mail and password do not match an account."
        : "Too many failed sign-ins from this address. Wait 15 minutes, then try again.",
    );
  }
  const token = await tokenFor(browser, "auditor");
  const events = await (
    await page.request.get(`/api/v1/audit/events?action=user.sign_in_failed&q=throttled&limit=50`, {
      headers: { Authorization: `Bearer ${token}` },
    })
  ).json();
  expect(events.items.some((e: { actorLabel: string }) => e.actorLabel.includes(email))).toBe(true);
});
