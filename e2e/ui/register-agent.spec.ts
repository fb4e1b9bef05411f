import { expect, signIn, test, uniqueSlug } from "../fixtures";

test("admin registers an agent in the browser, fixes a bad field, edits it, and finds it in the audit trail", async ({
  page,
}) => {
  const slug = uniqueSlug("e2e-agent");
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Register agent" }).click();
  await expect(page).toHaveURL(/\/agents\/new$/);

  await page.getByLabel("Name").fill("E2E research agent");
  await page.getByLabel("Slug").fill("Not A Slug!");
  await page.getByLabel("Team").selectOption({ label: "Engineering" });
  await page.getByLabel("Environment").selectOption("staging");
  await page.getByLabel("Model", { exact: true }).fill("gpt-5-mini");
  await page.getByLabel("Parameters (JSON)").fill("{ not json");
  await page.getByRole("button", { name: "Register agent" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "fix the highlighted" })).toBeVisible();
  await expect(page.locator("#parameters-error")).toContainText("valid JSON");
  // Focus moves to the first invalid field, which is described by its error.
  await expect(page.getByLabel("Parameters (JSON)")).toBeFocused();
  await expect(page.getByLabel("Parameters (JSON)")).toHaveAccessibleDescription(/valid JSON/);

  // What was typed survives a rejected submission.
  await expect(page.getByLabel("Name")).toHaveValue("E2E research agent");
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("gpt-5-mini");
  await page.getByLabel("Parameters (JSON)").fill('{"temperature": 0.3}');
  await page.getByRole("button", { name: "Register agent" }).click();
  await expect(page.locator("#slug-error")).toContainText("lowercase");
  await expect(page.getByLabel("Slug")).toBeFocused();
  await expect(page.getByLabel("Slug")).toHaveAttribute("aria-describedby", "slug-error");
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Tools").fill("github.search, web.fetch");
  await page.getByRole("button", { name: "Register agent" }).click();

  await expect(page).toHaveURL(new RegExp(`/agents/${slug}\\?registered=deployed$`));
  await expect(page.getByRole("status")).toContainText("version 1 deployed");
  await expect(page.getByRole("heading", { name: "E2E research agent" })).toBeVisible();
  await expect(page.getByText('"temperature": 0.3')).toBeVisible();
  await page.getByRole("tab", { name: "Versions" }).click();
  await expect(page.getByRole("row", { name: /v1 deployed/ })).toBeVisible();

  await page.getByRole("link", { name: "Edit details" }).click();
  await page.getByLabel("Name").fill("E2E research agent (renamed)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Changes saved");
  await expect(page.getByRole("heading", { name: "E2E research agent (renamed)" })).toBeVisible();

  await page.goto(`/agents?q=${slug}`);
  await expect(page.getByTestId("agent-rows").locator("tr")).toHaveCount(1);

  await page.goto("/audit");
  const rows = page.getByTestId("audit-rows");
  // Other specs register and edit agents in parallel: find this agent's rows by its slug.
  await expect(rows.locator("tr", { hasText: "agent.registered" }).filter({ hasText: slug })).toContainText(
    "admin@acp.local",
  );
  await expect(rows.locator("tr", { hasText: "agent.updated" }).filter({ hasText: slug }).first()).toContainText(
    "admin@acp.local",
  );
  // A navigation can briefly render the badge twice (the page it leaves and the one it opens): find the verdict.
  await expect(page.getByTestId("verify-badge").filter({ hasText: "Chain intact" }).first()).toBeVisible();
});
