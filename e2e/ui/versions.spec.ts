import { expect, signIn, test, tokenFor } from "../fixtures";

test("admin creates version 3, deploys it, rolls back to version 2 with a reason; the runtime follows", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const agent = (await (
    await request.get("/api/v1/agents/migration-bot", { headers: { Authorization: `Bearer ${admin}` } })
  ).json()) as { id: string };
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, {
      headers: { Authorization: `Bearer ${admin}` },
      data: { name: "versions e2e" },
    })
  ).json();
  const runtime = { Authorization: `Bearer ${key.token}` };

  await signIn(page, "admin");
  await page.goto("/agents/migration-bot?tab=versions");
  await page.getByRole("link", { name: "New version" }).click();
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("gemini-2.5-pro");
  await page.getByLabel("Model", { exact: true }).fill("gemini-2.5-flash");
  await page.getByLabel("Note").fill("Cheaper model");
  await page.getByRole("button", { name: "Create version" }).click();
  await expect(page.getByRole("status")).toContainText("Version 3 created");
  const diff = page.getByTestId("version-diff");
  await expect(diff.locator('[data-field="model"]')).toHaveAttribute("data-changed", "true");
  await expect(diff.locator('[data-field="model"]')).toContainText("+ gemini-2.5-flash");

  await page.getByRole("button", { name: "Deploy version 3" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Deploy version 3?" });
  await expect(confirm).toContainText("Runtimes get it on their next config fetch.");
  await confirm.getByRole("button", { name: "Deploy version 3" }).click();
  await expect(page.getByRole("status")).toContainText("Version 3 is live");
  const v3 = await request.get("/api/v1/runtime/config", { headers: runtime });
  expect((await v3.json()).version.number).toBe(3);
  const etag3 = v3.headers().etag;

  await page
    .getByTestId("version-rows")
    .locator("tr", { hasText: "v2" })
    .getByRole("link", { name: "Review & roll back" })
    .click();
  await expect(page.getByTestId("version-diff")).toContainText("v3 (live)");
  // The form checks itself before it asks: no reason, the field error (linked, focused) and no dialog.
  const rollBack = page.getByRole("button", { name: "Roll back to version 2" });
  const reason = page.getByLabel("Reason (required for a rollback)");
  await rollBack.click();
  await expect(page.locator("#reason-error")).toHaveText("required for a rollback");
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(reason).toHaveAttribute("aria-describedby", /reason-error/);
  await expect(reason).toBeFocused();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await reason.fill("flash is too weak for migrations");
  // Escape cancels: nothing is sent, focus is back on the button.
  await rollBack.click();
  const ask = page.getByRole("alertdialog", { name: "Roll back to version 2?" });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(ask).toBeHidden();
  await expect(rollBack).toBeFocused();
  await expect(page.getByTestId("version-diff")).toContainText("v3 (live)");
  await rollBack.click();
  await ask.getByRole("button", { name: "Roll back to version 2" }).click();
  await expect(page.getByRole("status")).toContainText("Rolled back to version 2");

  const timeline = page.getByTestId("deployment-timeline").locator("li");
  await expect(timeline.nth(0)).toContainText("rollback");
  await expect(timeline.nth(0)).toContainText("v2");
  await expect(timeline.nth(0)).toContainText("flash is too weak for migrations");
  await expect(timeline.nth(1)).toContainText("deploy");
  await expect(timeline.nth(1)).toContainText("v3");

  const v2 = await request.get("/api/v1/runtime/config", { headers: runtime });
  expect((await v2.json()).config.model).toBe("gemini-2.5-pro");
  expect(v2.headers().etag).not.toBe(etag3);

  await page.goto("/audit");
  const rows = page.getByTestId("audit-rows");
  await expect(rows.locator("tr", { hasText: "deployment.rolled_back" }).first()).toContainText("flash is too weak");
  await expect(rows.locator("tr", { hasText: "deployment.created" }).first()).toContainText("admin@acp.local");
});

test("in prod a deployment waits for a second admin: the requester cannot approve, another admin can", async ({
  page,
  browser,
  request,
}) => {
  await signIn(page, "admin");
  await page.goto("/agents/release-notes/versions/1");
  await page.getByLabel(/Reason/).fill("back to the original prompt");
  await page.getByRole("button", { name: "Request rollback" }).click();
  const ask = page.getByRole("alertdialog", { name: "Roll back to version 1?" });
  await expect(ask).toContainText("another admin must approve");
  await ask.getByRole("button", { name: "Request rollback" }).click();
  await expect(page.getByRole("status")).toContainText("waits for another admin's approval");
  const pending = page.getByTestId("pending-requests");
  await expect(pending).toContainText("Another admin must approve your request");
  await expect(pending.getByRole("button", { name: "Approve" })).toHaveCount(0);

  const adminToken = await tokenFor(browser, "admin");
  const requests = await (
    await request.get("/api/v1/deployment-requests", { headers: { Authorization: `Bearer ${adminToken}` } })
  ).json();
  const mine = requests.items.find((r: { agentSlug: string }) => r.agentSlug === "release-notes");
  const self = await request.post(`/api/v1/deployment-requests/${mine.id}/approve`, {
    headers: { Authorization: `Bearer ${adminToken}` },
    data: {},
  });
  expect(self.status()).toBe(403);
  expect((await self.json()).error.code).toBe("self_approval");

  const ops = await browser.newPage();
  await signIn(ops, "ops");
  await ops.goto("/agents/release-notes?tab=versions");
  await ops.getByTestId("pending-requests").getByRole("button", { name: "Approve" }).click();
  await ops
    .getByRole("alertdialog", { name: "Approve and deploy version 1 now?" })
    .getByRole("button", { name: "Approve" })
    .click();
  await expect(ops.getByRole("status")).toContainText("Request approved");
  const first = ops.getByTestId("deployment-timeline").locator("li").first();
  await expect(first).toContainText("rollback");
  await expect(first).toContainText("approved by Omar Ops");
  await expect(ops.getByTestId("version-rows").locator("tr", { hasText: "v1" })).toContainText("deployed");
});
