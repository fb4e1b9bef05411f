import { expect, test } from "@playwright/test";
import { signIn, tokenFor } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("a team lead manages their team's budgets but cannot edit another team's (404 as if absent, org 403, nothing changed, no control shown)", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const all = (await (await request.get("/api/v1/budgets?limit=500", { headers: bearer(admin) })).json()).items as {
    id: string;
    name: string;
    limitUsd: number;
    scope: string;
  }[];
  const engineering = all.find((b) => b.name === "Engineering monthly")!;
  const org = all.find((b) => b.scope === "org")!;

  const lead = await tokenFor(browser, "team_lead");
  // Another team's budget is "not found" (the lead cannot read it either); the organisation's is visible but not theirs.
  for (const [id, status, code] of [
    [engineering.id, 404, "not_found"],
    [org.id, 403, "forbidden"],
  ] as const) {
    const res = await request.patch(`/api/v1/budgets/${id}`, { headers: bearer(lead), data: { limitUsd: 999999 } });
    expect(res.status()).toBe(status);
    expect((await res.json()).error.code).toBe(code);
    expect((await request.post(`/api/v1/budgets/${id}/archive`, { headers: bearer(lead), data: {} })).status()).toBe(
      status,
    );
  }
  const after = (await (await request.get("/api/v1/budgets?limit=500", { headers: bearer(admin) })).json())
    .items as typeof all;
  expect(after.find((b) => b.id === engineering.id)!.limitUsd).toBe(engineering.limitUsd);
  expect(after.find((b) => b.id === org.id)!.limitUsd).toBe(org.limitUsd);

  await signIn(page, "team_lead");
  await page.goto("/budgets");
  const rows = page.getByTestId("budget-rows");
  await expect(rows).toContainText("Customer Support monthly");
  await expect(rows).not.toContainText("Engineering monthly");
  await expect(rows.getByRole("meter").first()).toBeVisible();
  // An edited page address shows the first page, not an error; a page past the end says so and links back.
  await page.goto("/budgets?cursor=not-a-cursor");
  await expect(rows).toContainText("Customer Support monthly");
  // … rendered as the first page: no link back to a first page it already is.
  await expect(page.getByRole("link", { name: "First page" })).toHaveCount(0);
  await page.goto(`/budgets?cursor=${Buffer.from("[100000]").toString("base64url")}`);
  await expect(page.getByText("No more budgets.")).toBeVisible();
  await page.getByRole("link", { name: "First page" }).click();
  await expect(rows).toContainText("Customer Support monthly");
  await page.goto("/budgets");

  // The organisation budget is visible to the lead, read-only.
  await rows.getByRole("link", { name: org.name }).click();
  await expect(page.getByRole("heading", { name: org.name })).toBeVisible();
  await expect(page.getByRole("button", { name: "Archive budget" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Save budget" })).toHaveCount(0);
  // Another team's budget does not exist for the lead.
  await page.goto(`/budgets/${engineering.id}`);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();

  // Their own team: create an agent budget (only agent/team scopes offered), then edit it.
  await page.goto("/budgets/new");
  await expect(page.getByLabel("Applies to").locator("option")).toHaveText(["one agent", "a team"]);
  await page.getByLabel("Agent").selectOption({ label: "support-kb-writer" });
  await page.getByLabel("Name").fill("KB writer weekly (e2e)");
  await page.getByLabel("Period").selectOption("week");
  await page.getByLabel("Limit (USD)").fill("500");
  await page.getByLabel("Alert thresholds (% of the limit)").fill("50, lots");
  await page.getByRole("button", { name: "Create budget" }).click();
  await expect(page.getByText("whole percentages, e.g. 50, 80, 100")).toBeVisible();
  await page.getByLabel("Alert thresholds (% of the limit)").fill("50, 80");
  await page.getByLabel("When exhausted").selectOption("notify");
  await page.getByRole("button", { name: "Create budget" }).click();
  await expect(page.getByText("Budget created.")).toBeVisible();
  await page.getByLabel("Alert thresholds (% of the limit)").fill("25, 75");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText("Budget saved.")).toBeVisible();
  await expect(page.getByText("Alerts at 25 %, 75 %.")).toBeVisible();
});
