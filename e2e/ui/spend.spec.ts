import { expect, signIn, test, tokenFor } from "../fixtures";

const SUPPORT_AGENTS = ["support-triage", "support-reply-drafter", "support-kb-writer"];

test("a team lead lands on their team's spend; regrouping updates the URL and the chart; the table exports as CSV", async ({
  page,
}) => {
  await signIn(page, "team_lead"); // lands on /spend
  const chart = page.getByTestId("spend-chart");
  // The first page after sign-in: on a loaded 2-core CI machine its first render has taken over 15 s.
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible({ timeout: 45_000 });
  await expect(chart).toHaveAttribute("data-group-by", "agent");
  const series = (await chart.getAttribute("data-series"))!.split("|");
  expect(series.length).toBeGreaterThan(0);
  for (const s of series) expect(SUPPORT_AGENTS).toContain(s);
  const rows = page.getByTestId("spend-rows");
  await expect(rows.locator("tr")).toHaveCount(3);
  for (const slug of SUPPORT_AGENTS) await expect(rows).toContainText(slug);
  await expect(page.getByRole("button", { name: "Agent", exact: true })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("button", { name: "Model", exact: true }).click();
  await expect(page).toHaveURL(/groupBy=model/);
  await expect(chart).toHaveAttribute("data-group-by", "model");
  await expect(chart).not.toHaveAttribute("data-series", series.join("|"));
  await expect(rows).toContainText(/gpt|claude/);

  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await page.getByLabel("Bucket").selectOption("hour");
  await expect(page).toHaveURL(/bucket=hour/);
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();

  // The URL is the view: reloading it shows the same grouping.
  await page.reload();
  await expect(page.getByTestId("spend-chart")).toHaveAttribute("data-group-by", "model");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "CSV" }).click();
  const file = await download;
  const csv = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
  expect(csv.split("\n")[0]).toBe(
    "model,id,cost_usd,previous_period_cost_usd,change_percent,calls,errors,unpriced_calls,input_tokens,output_tokens,successful_outcomes,cost_per_success_usd",
  );

  await expect(page.getByTestId("budget-burn").getByTestId("burn-card").first()).toBeVisible();
});

test("the spend API needs a time range and a bucket, and answers in the error envelope", async ({
  request,
  browser,
}) => {
  const token = await tokenFor(browser, "viewer");
  const auth = { Authorization: `Bearer ${token}` };
  const missing = await request.get("/api/v1/spend?from=2026-11-01", { headers: auth });
  expect(missing.status()).toBe(422);
  expect(Object.keys((await missing.json()).error.details)).toEqual(expect.arrayContaining(["to", "bucket"]));
  const to = new Date();
  const from = new Date(to.getTime() - 7 * 86_400_000);
  const ok = await request.get(
    `/api/v1/spend?from=${from.toISOString()}&to=${to.toISOString()}&bucket=day&groupBy=team`,
    { headers: auth },
  );
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect(body.points.length).toBeGreaterThanOrEqual(7);
  const sum = body.points.reduce(
    (s: number, p: { values: Record<string, number> }) => s + Object.values(p.values).reduce((a, b) => a + b, 0),
    0,
  );
  expect(sum).toBeCloseTo(body.totals.costUsd, 4);
});

test("hand-edited spend URLs render the page with the shell and a note on what was adjusted; Back follows filters", async ({
  page,
}) => {
  await signIn(page, "admin");
  const note = page.getByTestId("spend-note");
  const chart = page.getByTestId("spend-chart");
  const bad: [string, RegExp][] = [
    ["/spend?range=90d&bucket=hour", /Hourly buckets cover at most 31 days: showing daily buckets/],
    ["/spend?range=custom&from=2026-11-20&to=2026-11-01&bucket=day", /From was after To: the dates were swapped/],
    ["/spend?range=custom&from=yesterday&to=2026-13-45", /could not be read/],
    ["/spend?range=forever&bucket=minute&groupBy=mood", /Unknown range "forever"/],
  ];
  for (const [url, text] of bad) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(200);
    await expect(page.getByTestId("current-user")).toBeAttached();
    await expect(page.getByRole("heading", { name: "Spend", exact: true })).toBeVisible();
    await expect(note).toContainText(text);
    await expect(page.getByText("The request is invalid")).toHaveCount(0);
    await expect(page.getByTestId("spend-total")).not.toHaveText("…");
  }
  // The last URL was corrected in place: the address bar shows what is on screen.
  await expect(page).toHaveURL(/range=30d&bucket=day&groupBy=team/);

  // Choosing hourly buckets on 90 days is corrected with a note, not refused.
  await page.getByRole("button", { name: "90 days" }).click();
  await expect(page).toHaveURL(/range=90d/);
  await page.getByLabel("Bucket").selectOption("hour");
  await expect(note).toContainText("Hourly buckets cover at most 31 days");
  await expect(page.getByLabel("Bucket")).toHaveValue("day");
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();

  // Filter changes are history entries: Back returns to the previous filter.
  await page.getByRole("button", { name: "Month to date" }).click();
  await expect(page).toHaveURL(/range=mtd/);
  await page.getByRole("button", { name: "Model", exact: true }).click();
  await expect(page).toHaveURL(/range=mtd.*groupBy=model/);
  await page.goBack();
  await expect(page).toHaveURL(/range=mtd.*groupBy=team/);
  await expect(page.getByRole("button", { name: "Team", exact: true })).toHaveAttribute("aria-pressed", "true");
  await page.goBack();
  await expect(page).toHaveURL(/range=90d/);
  await expect(page.getByRole("button", { name: "90 days" })).toHaveAttribute("aria-pressed", "true");

  // Top spenders by agent link to the agent.
  await page.getByRole("button", { name: "Agent", exact: true }).click();
  await expect(page).toHaveURL(/groupBy=agent/);
  const first = page.getByTestId("spend-rows").getByRole("link").first();
  await expect(first).toHaveAttribute("href", /^\/agents\//);
  const slug = await first.textContent();
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/agents/${slug}`));
});
