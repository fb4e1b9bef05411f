import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("an over-budget agent says so in the list and on its overview; tables sort by column through the URL; the budget detail charts its periods and tells its alerts apart", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const teamSlug = uniqueSlug("risk");
  const team = await (
    await request.post("/api/v1/teams", { headers: bearer(admin), data: { slug: teamSlug, name: teamSlug } })
  ).json();
  const agentWithBudget = async (prefix: string, limitUsd: number, spentUsd: number) => {
    const agent = await (
      await request.post("/api/v1/agents", {
        headers: bearer(admin),
        data: {
          slug: uniqueSlug(prefix),
          name: `${prefix} agent`,
          teamId: team.id,
          environment: "dev",
          config: { model: "gpt-5" },
        },
      })
    ).json();
    const budget = await (
      await request.post("/api/v1/budgets", {
        headers: bearer(admin),
        data: {
          name: `${prefix} daily ${agent.slug}`,
          scope: "agent",
          agentId: agent.id,
          period: "day",
          limitUsd,
          thresholds: [80, 100],
          hardAction: "notify",
        },
      })
    ).json();
    const key = await (
      await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "rt" } })
    ).json();
    const usage = await request.post("/api/v1/runtime/usage", {
      headers: bearer(key.token),
      data: {
        events: [
          {
            id: "u1",
            timestamp: new Date().toISOString(),
            model: "gpt-5",
            inputTokens: 1,
            outputTokens: 1,
            costUsd: spentUsd,
          },
        ],
      },
    });
    expect(usage.status()).toBe(200);
    return { agent, budget };
  };
  // "calm" sorts before "over" by name; by budget used, the over-budget agent comes first.
  const calm = await agentWithBudget("calm", 100, 1);
  const over = await agentWithBudget("over", 2, 4.28);

  // The API carries the same status.
  const apiAgent = await (await request.get(`/api/v1/agents/${over.agent.id}`, { headers: bearer(admin) })).json();
  expect(apiAgent.budgetStatus).toMatchObject({ status: "over", percentUsed: 214, budget: { id: over.budget.id } });

  await signIn(page, "admin");
  await page.goto(`/agents?team=${team.id}`);
  const rows = page.getByTestId("agent-rows").locator("tr");
  await expect(rows).toHaveCount(2);
  const overRow = page.locator(`tr[data-agent="${over.agent.slug}"]`);
  await expect(overRow.getByTestId("budget-status")).toHaveText("Over budget · 214 %");
  await expect(overRow.getByTestId("budget-status")).toHaveAttribute("data-status", "over");
  await expect(page.locator(`tr[data-agent="${calm.agent.slug}"]`).getByTestId("budget-status")).toHaveAttribute(
    "data-status",
    "on_track",
  );
  await expect(rows.first()).toHaveAttribute("data-agent", calm.agent.slug);

  // Sort by budget used: a real button in the header, from the keyboard; the URL carries the order.
  const budgetHeader = page.getByRole("columnheader", { name: "Budget" });
  await expect(budgetHeader).not.toHaveAttribute("aria-sort");
  await budgetHeader.getByRole("button", { name: "Budget", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=used&dir=desc/);
  await expect(page.getByRole("columnheader", { name: "Budget" })).toHaveAttribute("aria-sort", "descending");
  await expect(rows.first()).toHaveAttribute("data-agent", over.agent.slug);
  expect(new URL(page.url()).searchParams.get("team")).toBe(team.id);
  await page.getByRole("columnheader", { name: "Budget" }).getByRole("button").click();
  await expect(page).toHaveURL(/sort=used&dir=asc/);
  await expect(page.getByRole("columnheader", { name: "Budget" })).toHaveAttribute("aria-sort", "ascending");
  await expect(rows.first()).toHaveAttribute("data-agent", calm.agent.slug);

  // The overview card.
  await page.goto(`/agents/${over.agent.slug}`);
  await expect(page.getByTestId("budget-status").first()).toHaveText("Over budget · 214 %");

  // The budgets list sorts too.
  await page.goto("/budgets?show=agent");
  await page.getByRole("columnheader", { name: "Limit" }).getByRole("button").click();
  await expect(page).toHaveURL(/show=agent&sort=limit&dir=desc/);
  await expect(page.getByRole("columnheader", { name: "Limit" })).toHaveAttribute("aria-sort", "descending");
  const budgetRows = page.getByTestId("budget-rows").locator("tr");
  const calmIdx = await budgetRows.evaluateAll(
    (trs, ids) => [
      trs.findIndex((t) => t.getAttribute("data-budget-id") === ids[0]),
      trs.findIndex((t) => t.getAttribute("data-budget-id") === ids[1]),
    ],
    [calm.budget.id, over.budget.id],
  );
  expect(calmIdx[0]).toBeLessThan(calmIdx[1]); // $100 before $2

  // The budget detail: a chart with bars, the history table, and two alerts told apart by their threshold.
  await page.goto(`/budgets/${over.budget.id}`);
  const chart = page.getByTestId("budget-history-chart");
  await expect(chart).toHaveAttribute("data-periods", "14");
  await expect(chart.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  // Created in this test: today is the budget's; the 13 days before it, with nothing spent, are one line.
  const historyRows = page.getByTestId("budget-history-rows").locator("tr");
  await expect(historyRows).toHaveCount(2);
  await expect(historyRows.first()).toContainText("(current)");
  await expect(historyRows.last()).toHaveText("13 days before this budget with nothing spent (not listed)");
  const alerts = page.getByTestId("budget-alerts").locator("li");
  await expect(alerts).toHaveCount(2);
  await expect(alerts.nth(0)).toContainText("Crossed 100 %");
  await expect(alerts.nth(0)).toContainText("at $2.00 of $2.00");
  await expect(alerts.nth(1)).toContainText("Crossed 80 %");
  await expect(alerts.nth(1)).toContainText("at $1.60 of $2.00");
  await expect(alerts.nth(1)).toContainText("spent then $4.28 (214 %)");

  // At a phone's width the chart still draws.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect(chart.locator(".recharts-bar-rectangle path").first()).toBeVisible();
});
