import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

test("an admin catalogues a resource, reads who touched the demo's tickets and for whom, follows a person, and archives the new entry", async ({
  page,
  request,
  browser,
}) => {
  await signIn(page, "admin");
  await page.goto("/resources");
  const table = page.getByTestId("resources");
  await expect(table.locator("tr", { hasText: "Zendesk tickets" })).toContainText("Personal data");

  // A pattern another entry covers is refused with the reason; a new one is catalogued.
  const name = `Payroll ${uniqueSlug("e2e")}`;
  const form = page.getByRole("form", { name: "Catalogue a resource" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Resource pattern").fill("ZENDESK.*");
  await form.getByLabel("Classification").selectOption({ label: "Confidential" });
  await form.getByRole("button", { name: "Catalogue resource" }).click();
  await expect(form.getByRole("alert")).toContainText("Zendesk tickets already covers the pattern");
  await form.getByLabel("Resource pattern").fill(`payroll.${uniqueSlug("p")}.*`);
  await form.getByRole("button", { name: "Catalogue resource" }).click();
  await expect(form.getByRole("status")).toContainText(`Catalogued ${name}`);
  await expect(table.locator("tr", { hasText: name })).toContainText("Confidential");

  // The demo's tickets: the figures the API gives, a person to follow, the CSV.
  await table.getByRole("link", { name: "Zendesk tickets" }).click();
  await expect(page.getByRole("heading", { name: "Zendesk tickets" })).toBeVisible();
  const admin = await tokenFor(browser, "admin");
  const id = page.url().split("/resources/")[1].split("?")[0];
  const api = await (
    await request.get(`/api/v1/resources/${id}/lineage`, { headers: { Authorization: `Bearer ${admin}` } })
  ).json();
  expect(api.lineage.calls).toBeGreaterThan(0);
  await expect(page.getByText(api.lineage.calls.toLocaleString("en-US"), { exact: true })).toBeVisible();
  const lineage = page.getByTestId("lineage");
  await expect(lineage.locator("tr").first()).toContainText(api.lineage.groups[0].agentSlug);
  const csv = await request.get((await page.getByRole("link", { name: "Download CSV" }).getAttribute("href"))!, {
    headers: { Authorization: `Bearer ${admin}` },
  });
  expect(csv.headers()["content-type"]).toContain("text/csv");
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");

  const person = api.lineage.groups.find((g: { onBehalfOf: string | null }) => g.onBehalfOf).onBehalfOf;
  await lineage.getByRole("link", { name: person }).first().click();
  await expect(page.getByRole("heading", { name: `On behalf of ${person}` })).toBeVisible();
  await expect(page.getByTestId("lineage")).toContainText("zendesk.");

  // Archived after a confirmation.
  await page.goto("/resources");
  await page.getByTestId("resources").getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Archive resource" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Archive resource" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Resource archived" })).toBeVisible();
  await expect(page.getByTestId("resources")).not.toContainText(name);

  // A viewer reads the catalogue and lineage but cannot change it.
  const viewer = await browser.newPage();
  await signIn(viewer, "viewer");
  await viewer.goto("/resources");
  await expect(viewer.getByTestId("resources")).toContainText("Zendesk tickets");
  await expect(viewer.getByRole("form", { name: "Catalogue a resource" })).toHaveCount(0);
  await viewer.getByTestId("resources").getByRole("link", { name: "Zendesk tickets" }).click();
  await expect(viewer.getByTestId("lineage")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Archive resource" })).toHaveCount(0);
  await viewer.close();
});
