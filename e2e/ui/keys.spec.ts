import { expect, sameOrigin, signIn, test, uniqueSlug } from "../fixtures";

test("admin issues an agent key in the console, the runtime uses it, then the admin revokes it", async ({
  page,
  request,
}) => {
  await signIn(page, "admin");
  await page.goto("/agents/etl-monitor?tab=keys");
  const name = `console key ${Date.now()}`;
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Issue key" }).click();
  const token = (await page.getByTestId("new-agent-key").textContent())!.trim();
  expect(token).toMatch(/^acp_ak_/);
  // The name field is emptied for the next key; the secret has a Copy button that says what it did.
  await expect(page.getByLabel("Key name")).toHaveValue("");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(page.getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const config = await request.get("/api/v1/runtime/config", { headers: { Authorization: `Bearer ${token}` } });
  expect(config.status()).toBe(200);
  expect((await config.json()).agent.slug).toBe("etl-monitor");

  const row = page.getByTestId("key-rows").locator("tr", { hasText: name });
  await expect(row).toContainText("active");
  // Escape cancels the confirmation: the key stays active and focus returns to its Revoke button.
  const revoke = row.getByRole("button", { name: "Revoke" });
  await revoke.click();
  const ask = page.getByRole("alertdialog");
  await expect(ask).toContainText(`Revoke key "${name}"`);
  await expect(ask).toContainText("Runtimes using it get 401 from now on.");
  await page.keyboard.press("Escape");
  await expect(ask).toBeHidden();
  await expect(revoke).toBeFocused();
  await expect(row).toContainText("active");
  await revoke.click();
  await ask.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect(
    (await request.get("/api/v1/runtime/config", { headers: { Authorization: `Bearer ${token}` } })).status(),
  ).toBe(401);
});

test("admin retires an agent: a reason and a confirmation, its keys stop working at once, and it cannot be resumed", async ({
  page,
  request,
}) => {
  await signIn(page, "admin");
  const teams = (await (await page.request.get("/api/v1/teams")).json()).items as { id: string; slug: string }[];
  const slug = uniqueSlug("retiree");
  const created = await page.request.post("/api/v1/agents", {
    headers: sameOrigin(page),
    data: {
      slug,
      name: "Short-lived agent",
      teamId: teams.find((t) => t.slug === "engineering")!.id,
      environment: "dev",
      config: { model: "gpt-5-mini" },
    },
  });
  expect(created.status()).toBe(201);
  const agentId = (await created.json()).id as string;
  const token = (
    await (
      await page.request.post(`/api/v1/agents/${agentId}/keys`, {
        headers: sameOrigin(page),
        data: { name: "runtime" },
      })
    ).json()
  ).token as string;
  expect(
    (await request.get("/api/v1/runtime/config", { headers: { Authorization: `Bearer ${token}` } })).status(),
  ).toBe(200);

  await page.goto(`/agents/${slug}`);
  await page.getByRole("button", { name: "Retire", exact: true }).click();
  const form = page.getByRole("form", { name: "Retire" });
  // No reason: the field error, and no confirmation asked.
  await form.getByRole("button", { name: "Retire for good" }).click();
  await expect(form.getByText("a reason is required")).toBeVisible();
  await expect(form.getByLabel("Reason to retire")).toBeFocused();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await form.getByLabel("Reason to retire").fill("replaced by the new pipeline");
  await form.getByRole("button", { name: "Retire for good" }).click();
  await page
    .getByRole("alertdialog", { name: `Retire ${slug} for good?` })
    .getByRole("button", { name: "Retire for good" })
    .click();
  await expect(page.getByText("Retired: replaced by the new pipeline")).toBeVisible();
  await expect(page.getByRole("button", { name: "Suspend" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Edit details" })).toHaveCount(0);

  expect(
    (await request.get("/api/v1/runtime/config", { headers: { Authorization: `Bearer ${token}` } })).status(),
  ).toBe(401);
  const again = await page.request.post(`/api/v1/agents/${agentId}/resume`, { headers: sameOrigin(page), data: {} });
  expect(again.status()).toBe(422);
});
