import { expect, signIn, test } from "../fixtures";

test("admin adds a model price in Settings; bad input is refused with a field error", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/settings");
  const model = `e2e-model-${Date.now()}`;
  await page.getByLabel("Provider").fill("e2e");
  await page.getByLabel("Model", { exact: true }).fill(model);
  await page.getByLabel("Input $/MTok").fill("1.5");
  await page.getByLabel("Cached $/MTok").fill("0.15");
  await page.getByRole("button", { name: "Add price" }).click();
  await expect(page.locator("#p-out").locator("..")).toContainText(/number/i);

  await page.getByLabel("Output $/MTok").fill("6");
  await page.getByLabel("Effective from (UTC)").fill("2026-01-01T00:00");
  await page.getByRole("button", { name: "Add price" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved e2e/${model}` })).toBeVisible();
  const row = page.locator("tr", { hasText: model });
  await expect(row).toContainText("$1.50");
  await expect(row).toContainText("$6.00");
  await expect(row).toContainText("2026-01-01 00:00 UTC");
});

test("viewers see prices but not the price form; everyone can read the API reference", async ({ page, request }) => {
  await signIn(page, "viewer");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Model prices" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add price" })).toHaveCount(0);
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.getByText("/api/v1/runtime/authorize").first()).toBeVisible();

  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  const authorize = doc.paths["/api/v1/runtime/authorize"].post;
  expect(authorize.requestBody.content["application/json"].schema.required).toEqual(["action", "resource"]);
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      "/api/v1/runtime/config",
      "/api/v1/runtime/usage",
      "/api/v1/agents",
      "/api/v1/agents/{id}/keys",
    ]),
  );
});
