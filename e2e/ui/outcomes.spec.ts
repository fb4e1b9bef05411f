import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

test("an admin defines an outcome type for an agent and archives another; the agent's overview shows its cost per successful outcome", async ({
  page,
  request,
  browser,
}) => {
  await signIn(page, "admin");
  await page.goto("/outcomes");
  // The demo's types are listed with their reporters.
  const table = page.getByTestId("outcome-types");
  await expect(table.locator("tr", { hasText: "ticket.resolved" })).toContainText("support-triage");

  const name = `case.closed.${uniqueSlug("e2e").replaceAll("-", "_")}`;
  const form = page.getByRole("form", { name: "Define an outcome type" });
  await form.getByLabel("Name").fill("Case Closed");
  await form.getByLabel("Unit").fill("case");
  await form.getByRole("button", { name: "Define outcome type" }).click();
  await expect(form.getByRole("alert")).toContainText("Please fix the highlighted fields");
  await form.getByLabel("Name").fill(name);
  const reporters = form.getByRole("group", { name: "Agents that report it" });
  await expect(reporters).toContainText(/0 of \d+ ticked/);
  await reporters.getByLabel("support-triage").check();
  // The box scrolls: how many are ticked is said beneath it.
  await expect(reporters).toContainText(/1 of \d+ ticked/);
  await form.getByLabel(/Carries a value/).check();
  await form.getByLabel("Budget per outcome (US$ per success)").fill("0.5");
  await form.getByLabel("Over each").selectOption("week");
  await form.getByRole("button", { name: "Define outcome type" }).click();
  await expect(form.getByRole("status")).toContainText(`Defined ${name}`);
  const row = table.locator("tr", { hasText: name });
  await expect(row).toContainText("value in $");
  await expect(row).toContainText("support-triage");
  await expect(row).toContainText("≤ $0.5 per case / week");

  // Archived after a confirmation: gone from the list, refused to the runtime.
  await row.getByRole("button", { name: "Archive" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Archive" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Outcome type archived" })).toBeVisible();
  await expect(table).not.toContainText(name);

  // The agent's overview: the figures the API gives, formatted.
  const admin = await tokenFor(browser, "admin");
  const economics = await (
    await request.get("/api/v1/agents/support-triage/outcomes", { headers: { Authorization: `Bearer ${admin}` } })
  ).json();
  const ticket = economics.types.find((t: { type: string }) => t.type === "ticket.resolved");
  expect(ticket.successes).toBeGreaterThan(0);
  await page.goto("/agents/support-triage");
  const outcomes = page.getByTestId("economics").locator("tr", { hasText: "ticket.resolved" });
  // Their own cells (the phone's copy under the type is hidden at this width).
  await expect(
    outcomes.getByRole("cell", { name: `${(ticket.successRate * 100).toFixed(1)} %`, exact: true }),
  ).toBeVisible();
  await expect(
    outcomes.getByRole("cell", { name: `${ticket.outcomes.toLocaleString("en-US")} tickets`, exact: true }),
  ).toBeVisible();

  // A viewer reads the types but cannot define or archive them.
  const viewer = await browser.newPage();
  await signIn(viewer, "viewer");
  await viewer.goto("/outcomes");
  await expect(viewer.getByTestId("outcome-types")).toContainText("ticket.resolved");
  await expect(viewer.getByRole("form", { name: "Define an outcome type" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Archive" })).toHaveCount(0);
  await viewer.close();
});
