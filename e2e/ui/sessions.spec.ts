import { expect, signIn, test, tokenFor } from "../fixtures";
import { cookieHeader, createPerson, settlePassword, signInWith } from "../sessions-helpers";

// Sessions are server-side rows: signing out, a password change, a deactivation or an admin's "sign out
// everywhere" end them, and a replayed cookie is worth nothing afterwards.

let admin: string;
test.beforeAll(async ({ browser }) => {
  admin = await tokenFor(browser, "admin");
});

test("a cookie replayed after sign-out gets 401 from the API and the sign-in page in the console", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "viewer");
  const cookies = await context.cookies();
  const cookie = await cookieHeader(context);
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(401);
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const again = await replay.newPage();
  await again.goto("/agents");
  await expect(again).toHaveURL(/\/sign-in/);
  await Promise.all([context.close(), replay.close(), api.dispose()]);
});

test("a person made by an admin must change the one-time password first; the API refuses their session until then", async ({
  browser,
  request,
  playwright,
  baseURL,
}) => {
  const p = await createPerson(request, admin, "onetime");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWith(page, p.email, p.password);
  await expect(page).toHaveURL(/\/change-password/);
  const api = await playwright.request.newContext({ baseURL });
  const refused = await api.get("/api/v1/agents", { headers: { cookie: await cookieHeader(context) } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("password_change_required");
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/change-password/);

  const mine = await settlePassword(page, p.password);
  expect((await api.get("/api/v1/agents", { headers: { cookie: await cookieHeader(context) } })).status()).toBe(200);

  // An admin setting their password again makes it one-time again and ends their sessions.
  expect(
    (
      await request.patch(`/api/v1/users/${p.id}`, {
        headers: { Authorization: `Bearer ${admin}` },
        data: { password: "admin-set-again-123" },
      })
    ).status(),
  ).toBe(200);
  expect((await api.get("/api/v1/agents", { headers: { cookie: await cookieHeader(context) } })).status()).toBe(401);
  const fresh = await browser.newContext();
  const page2 = await fresh.newPage();
  await signInWith(page2, p.email, "admin-set-again-123");
  await expect(page2).toHaveURL(/\/change-password/);
  expect(mine).not.toBe("admin-set-again-123");
  await Promise.all([context.close(), fresh.close(), api.dispose()]);
});

test("changing one's password ends one's other sessions, not this one", async ({
  browser,
  request,
  playwright,
  baseURL,
}) => {
  const p = await createPerson(request, admin, "pwchange");
  const a = await browser.newContext();
  const pageA = await a.newPage();
  await signInWith(pageA, p.email, p.password);
  const password = await settlePassword(pageA, p.password);
  const b = await browser.newContext();
  const pageB = await b.newPage();
  await signInWith(pageB, p.email, password);
  await expect(pageB).toHaveURL(/\/agents$/);
  const api = await playwright.request.newContext({ baseURL });
  const [cookieA, cookieB] = [await cookieHeader(a), await cookieHeader(b)];
  expect((await api.get("/api/v1/agents", { headers: { cookie: cookieB } })).status()).toBe(200);

  await pageA.goto("/settings");
  await pageA.getByLabel("Current password").fill(password);
  await pageA.getByLabel("New password", { exact: true }).fill(`${password}-2`);
  await pageA.getByLabel("New password again").fill(`${password}-2`);
  await pageA.getByRole("button", { name: "Change password" }).click();
  await expect(pageA.getByText("Password changed")).toBeVisible();

  expect((await api.get("/api/v1/agents", { headers: { cookie: cookieB } })).status()).toBe(401);
  expect((await api.get("/api/v1/agents", { headers: { cookie: cookieA } })).status()).toBe(200);
  await pageB.goto("/agents");
  await expect(pageB).toHaveURL(/\/sign-in/);
  await Promise.all([a.close(), b.close(), api.dispose()]);
});

test("deactivation ends sessions for good: reactivation does not revive them", async ({
  browser,
  request,
  playwright,
  baseURL,
}) => {
  const p = await createPerson(request, admin, "deact");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWith(page, p.email, p.password);
  const password = await settlePassword(page, p.password);
  const cookie = await cookieHeader(context);
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(200);
  const auth = { Authorization: `Bearer ${admin}` };
  expect((await request.post(`/api/v1/users/${p.id}/deactivate`, { headers: auth, data: {} })).status()).toBe(200);
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(401);
  expect((await request.post(`/api/v1/users/${p.id}/reactivate`, { headers: auth, data: {} })).status()).toBe(200);
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(401);
  // They can sign in afresh.
  const again = await browser.newContext();
  const page2 = await again.newPage();
  await signInWith(page2, p.email, password);
  await expect(page2).toHaveURL(/\/agents$/);
  await Promise.all([context.close(), again.close(), api.dispose()]);
});

test("an admin signs a person out everywhere from the person's page (confirmed, audited); the API does the same", async ({
  browser,
  request,
  playwright,
  baseURL,
}) => {
  const p = await createPerson(request, admin, "everywhere");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWith(page, p.email, p.password);
  const password = await settlePassword(page, p.password);
  const cookie = await cookieHeader(context);
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(200);

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "admin");
  await adminPage.goto(`/people/${p.id}`);
  await adminPage.getByRole("button", { name: /Sign .* out everywhere/ }).click();
  const asked = adminPage.getByRole("alertdialog", { name: /sign .* out everywhere\?/i });
  await expect(asked).toContainText("Every console session they have ends now");
  await asked.getByRole("button", { name: /Sign .* out everywhere/ }).click();
  await expect(adminPage.getByText(/signed out everywhere/i)).toBeVisible();
  expect((await api.get("/api/v1/agents", { headers: { cookie } })).status()).toBe(401);
  const events = (
    await (
      await request.get(`/api/v1/audit/events?action=user.sessions_revoked&targetId=${p.id}`, {
        headers: { Authorization: `Bearer ${admin}` },
      })
    ).json()
  ).items;
  expect(events).toHaveLength(1);

  // Through the API, with a token.
  await signInWith(page, p.email, password);
  const cookie2 = await cookieHeader(context);
  expect((await api.get("/api/v1/agents", { headers: { cookie: cookie2 } })).status()).toBe(200);
  const revoked = await request.post(`/api/v1/users/${p.id}/sessions/revoke`, {
    headers: { Authorization: `Bearer ${admin}` },
    data: {},
  });
  expect(revoked.status()).toBe(200);
  expect((await revoked.json()).revoked).toBe(1);
  expect((await api.get("/api/v1/agents", { headers: { cookie: cookie2 } })).status()).toBe(401);
  await Promise.all([context.close(), adminContext.close(), api.dispose()]);
});

test("callbackUrl only ever leads to a path on this origin", async ({ browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const attacks = [
    "/\\evil.example/",
    "//evil.example",
    "https://evil.example",
    "/%5Cevil.example",
    "/\tevil.example",
    "/\n/evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
  ];
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const [i, attack] of attacks.entries()) {
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(attack)}`);
    if (i === 0) {
      await page.getByLabel("E-mail").fill("viewer@acp.local");
      await page.getByLabel("Password").fill("demo-viewer-pass");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((u) => !u.href.includes("/sign-in"));
    }
    // Signed in, the sign-in page sends them on at once: still on this origin.
    expect(new URL(page.url()).origin, attack).toBe(origin);
  }
  // A legitimate callback is kept.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/budgets?x=1")}`);
  await expect(page).toHaveURL(/\/budgets\?x=1$/);
  await context.close();
});

test("server actions refuse a cross-origin post (Next's Origin check)", async ({ browser, playwright, baseURL }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "viewer");
  await page.goto("/settings");
  const name = `csrf probe ${Date.now()}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toBeVisible();
  await page.reload();
  const revoke = page.getByRole("button", { name: `Revoke token ${name}` });
  // The form as the server renders it, read with JavaScript off: once React has hydrated, a form it renders
  // again on the client carries no action-id field, so reading the live page raced hydration.
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const plainPage = await plain.newPage();
  await plainPage.goto("/settings");
  // By attribute, not role: with scripts off, a streamed section stays in its hidden holder.
  const fields = await plainPage
    .locator("form", { has: plainPage.locator(`button[aria-label="Revoke token ${name}"]`) })
    .first()
    .evaluate((f) =>
      Object.fromEntries([...new FormData(f as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)])),
    );
  await plain.close();
  expect(Object.keys(fields).some((k) => k.startsWith("$ACTION_ID_"))).toBe(true);
  const api = await playwright.request.newContext({ baseURL });
  const cookie = await cookieHeader(context);
  // What a cross-site HTML form posting to the action would send (no JavaScript: the action id is a form field).
  const post = (origin: string) =>
    api.post("/settings", { headers: { cookie, origin }, multipart: fields, maxRedirects: 0 });

  const evil = await post("https://evil.example");
  expect(evil.status()).toBeGreaterThanOrEqual(400);
  await page.reload();
  await expect(revoke).toBeVisible(); // not revoked
  const own = await post(new URL(baseURL!).origin);
  expect(own.status()).toBeLessThan(400);
  await page.reload();
  await expect(revoke).toHaveCount(0); // the same request from this origin revokes it
  await Promise.all([context.close(), api.dispose()]);
});
