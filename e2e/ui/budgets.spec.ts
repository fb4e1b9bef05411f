import { expect, signIn, test, tokenFor } from "../fixtures";

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

test("a draft budget is replayed against last week's calls beside Save: what it would refuse, the usage behind it, when it runs out", async ({
  page,
  request,
  browser,
}) => {
  await signIn(page, "admin");
  await page.goto("/budgets/new");
  const form = page.getByRole("form", { name: "Create budget" });
  await form.getByLabel("Applies to").selectOption("agent");
  await form.getByLabel("Agent", { exact: true }).selectOption({ label: "ci-fixer" });
  await form.getByLabel("Name").fill("Replay trial");
  await form.getByLabel("Period").selectOption("day");
  await form.getByLabel("Limit (USD)").fill("0.01");
  await form.getByRole("button", { name: "Preview impact (last 7 days)" }).click();
  const replay = form.getByTestId("replay");
  await expect(replay).toContainText("would be decided differently");
  await expect(replay).toContainText(/allowed\s*→\s*denied/);
  await expect(replay.getByTestId("replay-exhausted")).toContainText("With the draft the budget ran out in");
  await expect(replay.getByTestId("replay-exhausted")).toContainText("as it stands it never ran out");
  // The preview wrote nothing.
  const admin = await tokenFor(browser, "admin");
  const names = (
    (await (await request.get("/api/v1/budgets?limit=500", { headers: bearer(admin) })).json()).items as {
      name: string;
    }[]
  ).map((b) => b.name);
  expect(names).not.toContain("Replay trial");

  // The API answers the same for the same draft.
  const agents = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items;
  const res = await request.post("/api/v1/budgets/replay", {
    headers: bearer(admin),
    data: {
      change: {
        op: "create",
        budget: { name: "x", scope: "agent", agentId: agents[0].id, period: "day", limitUsd: 0.01 },
      },
    },
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.changed).toBeGreaterThan(0);
  expect(body.transitions[0]).toMatchObject({ from: "allow", to: "deny" });
});

test("on a phone, the budgets and agents lists sort by the columns a phone hides too", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "admin");
  for (const [path, key, label] of [
    ["/budgets", "used", "Status (share used)"],
    ["/agents", "activity", "Last activity"],
  ] as const) {
    await page.goto(path);
    const sort = page.getByRole("form", { name: "Sort" });
    await expect(sort).toBeVisible();
    await sort.getByLabel("Sort by").selectOption({ label });
    await sort.getByLabel("Direction").selectOption("desc");
    await sort.getByRole("button", { name: "Sort" }).click();
    await expect(page).toHaveURL(new RegExp(`sort=${key}&dir=desc`));
    // The same order as the column's header gives on a wider screen (its header says so).
    await expect(page.locator("th[aria-sort=descending]")).toContainText(label.split(" (")[0]);
    await expect(page.getByRole("form", { name: "Sort" }).getByLabel("Sort by")).toHaveValue(key);
    // One way to sort on a phone: the headers only say the order.
    await expect(page.locator("th button:visible")).toHaveCount(0);
  }
  // On a wider screen the headers do it, and the phone's control is gone.
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.getByRole("form", { name: "Sort" })).toBeHidden();
  await expect(page.locator("th button:visible").first()).toBeVisible();
});
