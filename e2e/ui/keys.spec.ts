import { expect, test } from "@playwright/test";
import { signIn } from "../fixtures";

test("admin issues an agent key in the console, the runtime uses it, then the admin revokes it", async ({ page, request }) => {
  await signIn(page, "admin");
  await page.goto("/agents/etl-monitor?tab=keys");
  const name = `console key ${Date.now()}`;
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Issue key" }).click();
  const token = (await page.getByTestId("new-agent-key").textContent())!.trim();
  expect(token).toMatch(/^acp_ak_/);

  const config = await request.get("/api/v1/runtime/config", { headers: { Authorization: `Bearer ${token}` } });
  expect(config.status()).toBe(200);
  expect((await config.json()).agent.slug).toBe("etl-monitor");

  const row = page.getByTestId("key-rows").locator("tr", { hasText: name });
  await expect(row).toContainText("active");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await request.get("/api/v1/runtime/config", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
});
