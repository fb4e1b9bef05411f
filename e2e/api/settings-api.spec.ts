import { expect, test } from "@playwright/test";
import { signIn, tokenFor } from "../fixtures";
import { cookieHeader } from "../sessions-helpers";

// Model prices and personal access tokens through the API: the same commands, roles and audit as the console's
// Settings forms.

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("an admin adds a model price through the API; others cannot; bad prices change nothing; each change is audited", async ({
  request,
  browser,
}) => {
  const [admin, viewer, auditor] = await Promise.all([
    tokenFor(browser, "admin"),
    tokenFor(browser, "viewer"),
    tokenFor(browser, "auditor"),
  ]);
  const model = `api-price-${Date.now()}`;
  const list = async () =>
    (
      (await (await request.get("/api/v1/model-prices", { headers: bearer(viewer) })).json()).items as {
        id: string;
        model: string;
        inputUsdPerMTok: number;
        effectiveFrom: string;
      }[]
    ).filter((p) => p.model === model);
  const price = { provider: "acme", model, inputUsdPerMTok: 3, cachedInputUsdPerMTok: 0.3, outputUsdPerMTok: 15 };

  expect((await request.post("/api/v1/model-prices", { headers: bearer(viewer), data: price })).status()).toBe(403);
  for (const bad of [
    { ...price, inputUsdPerMTok: -1 },
    { ...price, effectiveFrom: null },
    { ...price, effectiveFrom: "next tuesday" },
    { ...price, effectiveFrom: 0 },
    { ...price, effectiveFrom: "0000-01-01T00:00:00Z" }, // PostgreSQL could not store it: refused, not a 500
    { ...price, model: "" },
  ]) {
    const res = await request.post("/api/v1/model-prices", { headers: bearer(admin), data: bad });
    expect(res.status(), JSON.stringify(bad)).toBe(422);
    expect((await res.json()).error.code).toBe("validation_failed");
  }
  expect(await list()).toEqual([]);

  const before = Date.now();
  const created = await request.post("/api/v1/model-prices", { headers: bearer(admin), data: price });
  expect(created.status()).toBe(201);
  const body = await created.json();
  expect(body).toMatchObject({
    provider: "acme",
    model,
    inputUsdPerMTok: 3,
    cachedInputUsdPerMTok: 0.3,
    outputUsdPerMTok: 15,
  });
  // Left out, the effective date is now.
  expect(Date.parse(body.effectiveFrom)).toBeGreaterThanOrEqual(before - 1000);
  const later = await request.post("/api/v1/model-prices", {
    headers: bearer(admin),
    data: { ...price, inputUsdPerMTok: 2.5, effectiveFrom: "2031-01-01T00:00:00+01:00" },
  });
  expect(await later.json()).toMatchObject({ inputUsdPerMTok: 2.5, effectiveFrom: "2030-12-31T23:00:00.000Z" });
  expect((await list()).map((p) => p.inputUsdPerMTok).sort()).toEqual([2.5, 3]);

  const audit = await request.get(`/api/v1/audit/events?action=price.created&targetId=${body.id}`, {
    headers: bearer(auditor),
  });
  expect((await audit.json()).items).toEqual([
    expect.objectContaining({ actorLabel: "admin@acp.local", action: "price.created", targetId: body.id }),
  ]);
});

test("tokens: created from a signed-in session only, listed without secrets, revoked by their owner or an admin", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "viewer");
  const api = await playwright.request.newContext({ baseURL });
  const session = { cookie: await cookieHeader(context), origin: new URL(baseURL!).origin };
  const [admin, lead] = await Promise.all([tokenFor(browser, "admin"), tokenFor(browser, "team_lead")]);

  // From the session: created, and the secret works at once.
  const name = `api token ${Date.now()}`;
  const created = await api.post("/api/v1/tokens", { headers: session, data: { name, expiresInDays: 7 } });
  expect(created.status()).toBe(201);
  const token = await created.json();
  expect(token.token).toMatch(/^acp_pat_/);
  expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  const mine = await api.get("/api/v1/tokens", { headers: bearer(token.token) });
  expect(mine.status()).toBe(200);
  const listed = (await mine.json()).items.find((t: { id: string }) => t.id === token.id);
  expect(listed).toMatchObject({ name, prefix: token.prefix, revokedAt: null });
  expect(listed.lastUsedAt).not.toBeNull(); // it was just used for this very call
  expect(JSON.stringify(await mine.json())).not.toContain(token.token);
  expect(Object.keys(listed)).not.toContain("hash");

  // A token cannot mint another: a leaked one could otherwise outlive its own revocation.
  const minted = await api.post("/api/v1/tokens", { headers: bearer(token.token), data: { name: "child" } });
  expect(minted.status()).toBe(403);
  expect((await minted.json()).error.code).toBe("session_required");
  const names = (
    (await (await api.get("/api/v1/tokens", { headers: session })).json()).items as { name: string }[]
  ).map((t) => t.name);
  expect(names).not.toContain("child");
  // Bad input through the session: 422, nothing made.
  const bad = await api.post("/api/v1/tokens", { headers: session, data: { name: "x", expiresInDays: 9999 } });
  expect(bad.status()).toBe(422);

  // Another person's token is as absent to a team lead; the owner revokes it, then it no longer authenticates.
  expect((await api.delete(`/api/v1/tokens/${token.id}`, { headers: bearer(lead) })).status()).toBe(404);
  const revoked = await api.delete(`/api/v1/tokens/${token.id}`, { headers: bearer(token.token) });
  expect(revoked.status()).toBe(200);
  expect((await revoked.json()).revokedAt).not.toBeNull();
  expect((await api.get("/api/v1/tokens", { headers: bearer(token.token) })).status()).toBe(401);

  // An admin revokes anyone's; both changes are in the audit trail.
  const second = await (await api.post("/api/v1/tokens", { headers: session, data: { name: `${name} 2` } })).json();
  expect((await api.delete(`/api/v1/tokens/${second.id}`, { headers: bearer(admin) })).status()).toBe(200);
  const events = await api.get(`/api/v1/audit/events?targetType=personal_access_token&targetId=${second.id}`, {
    headers: bearer(admin),
  });
  expect(
    ((await events.json()).items as { action: string; actorLabel: string }[]).map((e) => [e.action, e.actorLabel]),
  ).toEqual([
    ["token.revoked", "admin@acp.local"],
    ["token.created", "viewer@acp.local"],
  ]);
  await Promise.all([context.close(), api.dispose()]);
});

test("retention: admins set it through the API, never below six months; others cannot; shortening waits for a second admin", async ({
  request,
  browser,
}) => {
  const [admin, viewer, ops] = await Promise.all([
    tokenFor(browser, "admin"),
    tokenFor(browser, "viewer"),
    tokenFor(browser, "ops"),
  ]);
  const read = async () =>
    (await (await request.get("/api/v1/settings", { headers: bearer(viewer) })).json()) as {
      timeZone: string;
      usageRetentionMonths: number;
    };
  const before = await read();
  expect(before.usageRetentionMonths).toBe(13); // the default
  for (const bad of [5, 0, 1.5, "six", null]) {
    const res = await request.patch("/api/v1/settings", {
      headers: bearer(admin),
      data: { usageRetentionMonths: bad },
    });
    expect(res.status()).toBe(422);
    expect((await res.json()).error.details).toHaveProperty("usageRetentionMonths");
  }
  const denied = await request.patch("/api/v1/settings", {
    headers: bearer(viewer),
    data: { usageRetentionMonths: 24 },
  });
  expect(denied.status()).toBe(403);
  expect(await read()).toEqual(before);
  const ok = await request.patch("/api/v1/settings", { headers: bearer(admin), data: { usageRetentionMonths: 24 } });
  expect(await ok.json()).toEqual({ ...before, usageRetentionMonths: 24 });
  expect(await read()).toEqual({ ...before, usageRetentionMonths: 24 });
  // Back to 13 months is keeping records for less time: it waits for another admin.
  const shorter = await request.patch("/api/v1/settings", {
    headers: bearer(admin),
    data: { usageRetentionMonths: 13 },
  });
  expect(shorter.status()).toBe(200);
  const asked = await shorter.json();
  expect(asked).toMatchObject({ usageRetentionMonths: 24, pendingChange: { status: "pending_approval" } });
  expect(await read()).toEqual({ ...before, usageRetentionMonths: 24 });
  const self = await request.post(`/api/v1/change-requests/${asked.pendingChange.requestId}/approve`, {
    headers: bearer(admin),
    data: {},
  });
  expect(self.status()).toBe(403);
  const approved = await request.post(`/api/v1/change-requests/${asked.pendingChange.requestId}/approve`, {
    headers: bearer(ops),
    data: {},
  });
  expect(approved.status()).toBe(200);
  expect(await read()).toEqual(before);
});

// After the API's retention test, in this file's order: both change the one organisation's settings.
test("shortening retention in the console waits for a second admin, who sees the cut on Approvals", async ({
  browser,
  request,
}) => {
  const admin = await tokenFor(browser, "admin");
  const settings = async () =>
    (await (await request.get("/api/v1/settings", { headers: bearer(admin) })).json()) as {
      usageRetentionMonths: number;
      auditRetentionMonths: number;
    };
  const before = await settings();
  const page = await browser.newPage();
  await signIn(page, "admin");
  await page.goto("/settings#retention");
  await page.getByLabel("Audit trail (months)").fill("6");
  await page.getByRole("button", { name: "Save retention" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("waits for a second admin's approval");
  await confirm.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByRole("status")).toContainText(
    `Until then raw usage and decisions are kept ${before.usageRetentionMonths} months, the audit trail ${before.auditRetentionMonths}.`,
  );
  expect(await settings()).toEqual(before);
  await page.close();

  // The other admin reads what is asked and rejects it: nothing changes.
  const ops = await browser.newPage();
  await signIn(ops, "ops");
  await ops.goto("/approvals");
  const row = ops
    .locator("#content")
    .getByTestId("change-requests")
    .locator("li", { hasText: `Keep the audit trail 6 months (${before.auditRetentionMonths} when asked)` });
  await row.getByRole("button", { name: "Reject" }).click();
  await ops.getByRole("alertdialog").getByRole("button", { name: "Reject" }).click();
  await expect(ops.getByRole("status")).toContainText("Request rejected");
  expect(await settings()).toEqual(before);
  await ops.close();
});
