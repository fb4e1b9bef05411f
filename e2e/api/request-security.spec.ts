import { expect, test } from "@playwright/test";
import { awayFromWindowEdge, signIn, tokenFor } from "../fixtures";
import { cookieHeader, createPerson, rawCall, scriptedSignIn } from "../sessions-helpers";

let admin: string;
test.beforeAll(async ({ browser }) => {
  admin = await tokenFor(browser, "admin");
});

const auditOf = async (request: import("@playwright/test").APIRequestContext, q: string) =>
  (
    await (
      await request.get(`/api/v1/audit/export?format=ndjson&${q}`, { headers: { Authorization: `Bearer ${admin}` } })
    ).text()
  )
    .split("\n")
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as {
          record?: string;
          action: string;
          ip: string | null;
          targetId: string | null;
          reason: string | null;
        },
    )
    .filter((r) => r.record === undefined); // events only: not the export's header, skipped runs or trailer

test("cookie-authenticated writes: cross-origin → 403, text/plain → 415; same origin works; bearer tokens are unaffected", async ({
  browser,
  playwright,
  baseURL,
  request,
}) => {
  const origin = new URL(baseURL!).origin;
  const context = await browser.newContext();
  await signIn(await context.newPage(), "admin");
  const cookie = await cookieHeader(context);
  const api = await playwright.request.newContext({ baseURL });
  const person = (tag: string) => ({ email: `csrf-${tag}-${Date.now()}@acp.local`, name: "CSRF", role: "admin" });
  const exists = async (email: string) =>
    (
      await (
        await request.get(`/api/v1/users?q=${encodeURIComponent(email)}`, {
          headers: { Authorization: `Bearer ${admin}` },
        })
      ).json()
    ).items.length > 0;

  const evil = person("evil");
  const crossOrigin = await api.post("/api/v1/users", {
    headers: { cookie, origin: "https://evil.example" },
    data: evil,
  });
  expect(crossOrigin.status()).toBe(403);
  expect((await crossOrigin.json()).error.code).toBe("cross_origin");
  const crossSite = await api.post("/api/v1/users", {
    headers: { cookie, "sec-fetch-site": "cross-site" },
    data: evil,
  });
  expect(crossSite.status()).toBe(403);
  // So is a read audited in the reader's name (what agents did for a person): another site's link cannot make one.
  const lookup = await api.get("/api/v1/lineage?onBehalfOf=alice", {
    headers: { cookie, "sec-fetch-site": "cross-site" },
  });
  expect(lookup.status()).toBe(403);
  expect((await lookup.json()).error.code).toBe("cross_origin");
  // And an export of the audit trail or an evidence pack (each audited in the reader's name, the pack heavy to build).
  const from = new Date(Date.now() - 60_000).toISOString();
  for (const path of [
    `/api/v1/audit/export?format=ndjson&from=${from}`,
    `/api/v1/audit/evidence-pack?from=${from}&to=${new Date().toISOString()}`,
  ]) {
    const linked = await api.get(path, { headers: { cookie, "sec-fetch-site": "cross-site" } });
    expect(linked.status(), path).toBe(403);
    expect((await linked.json()).error.code, path).toBe("cross_origin");
    // From the console itself it is the download it always was.
    expect((await api.get(path, { headers: { cookie, "sec-fetch-site": "same-origin" } })).status(), path).toBe(200);
  }
  const noOrigin = await api.post("/api/v1/users", { headers: { cookie }, data: evil });
  expect(noOrigin.status()).toBe(403);
  const plain = await api.post("/api/v1/users", {
    headers: { cookie, origin, "content-type": "text/plain" },
    data: JSON.stringify(evil),
  });
  expect(plain.status()).toBe(415);
  // The simple cross-site form/fetch an attacker can send without a preflight:
  const form = await api.post("/api/v1/users", {
    headers: { cookie, "content-type": "text/plain" },
    data: JSON.stringify(evil),
  });
  expect([403, 415]).toContain(form.status());
  expect(await exists(evil.email)).toBe(false);

  const ok = person("same");
  expect(
    (
      await api.post("/api/v1/users", { headers: { cookie, origin, "sec-fetch-site": "same-origin" }, data: ok })
    ).status(),
  ).toBe(201);
  // Reads with a cookie need no Origin.
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(200);

  const scripted = person("bearer");
  expect(
    (
      await api.post("/api/v1/users", {
        headers: { Authorization: `Bearer ${admin}`, origin: "https://evil.example" },
        data: scripted,
      })
    ).status(),
  ).toBe(201);
  await Promise.all([context.close(), api.dispose()]);
});

test("wrong passwords from one address do not block the right password from another", async ({ request, baseURL }) => {
  const p = await createPerson(request, admin, "throttle");
  await awayFromWindowEdge();
  for (let i = 0; i < 6; i++)
    expect((await scriptedSignIn(baseURL!, p.email, "wrong-password-x", "127.0.0.2")).ok).toBe(false);
  // The guessing address is refused even with the right password…
  const blocked = await scriptedSignIn(baseURL!, p.email, p.password, "127.0.0.2");
  expect(blocked).toMatchObject({ ok: false, error: "TooManyAttempts" });
  // …the person, elsewhere, is not.
  expect((await scriptedSignIn(baseURL!, p.email, p.password, "127.0.0.3")).ok).toBe(true);
});

test("X-Forwarded-For is ignored without TRUSTED_PROXIES: throttling and audit use the socket address", async ({
  request,
  baseURL,
}) => {
  const p = await createPerson(request, admin, "xff");
  await awayFromWindowEdge();
  for (let i = 0; i < 6; i++) {
    const r = await scriptedSignIn(baseURL!, p.email, "wrong-password-y", "127.0.0.4", {
      "x-forwarded-for": `203.0.113.${i + 1}`,
    });
    expect(r.ok).toBe(false);
  }
  // Rotating forged addresses did not buy more attempts from 127.0.0.4.
  expect(
    await scriptedSignIn(baseURL!, p.email, p.password, "127.0.0.4", { "x-forwarded-for": "203.0.113.99" }),
  ).toMatchObject({ ok: false, error: "TooManyAttempts" });
  const failures = await auditOf(request, `action=user.sign_in_failed&targetId=${p.id}`);
  expect(failures.length).toBeGreaterThanOrEqual(6);
  expect(new Set(failures.map((e) => e.ip))).toEqual(new Set(["127.0.0.4"]));

  // The API's request meta too.
  const res = await rawCall(`${baseURL}/api/v1/users/${p.id}`, {
    method: "PATCH",
    from: "127.0.0.5",
    headers: {
      authorization: `Bearer ${admin}`,
      "content-type": "application/json",
      "x-forwarded-for": "198.51.100.9",
    },
    body: JSON.stringify({ name: "Renamed through a forged proxy" }),
  });
  expect(res.status).toBe(200);
  const updated = await auditOf(request, `action=user.updated&targetId=${p.id}`);
  expect(updated.map((e) => e.ip)).toEqual(["127.0.0.5"]);
});

test("sign-in through next-auth refuses an off-site callbackUrl", async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = await csrf.json();
  for (const attack of ["https://evil.example/", "//evil.example", "/\\evil.example"]) {
    const res = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: "viewer@acp.local", password: "demo-viewer-pass", json: "true", callbackUrl: attack },
      maxRedirects: 0,
    });
    const url = (await res.json()).url as string;
    const parsed = new URL(url, origin);
    expect(parsed.origin, attack).toBe(origin);
    expect(parsed.pathname.startsWith("//") || parsed.pathname.includes("\\"), attack).toBe(false);
  }
});
