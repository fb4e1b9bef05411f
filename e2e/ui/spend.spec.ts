import { expect, test } from "@playwright/test";
import { signIn, tokenFor } from "../fixtures";

const SUPPORT_AGENTS = ["support-triage", "support-reply-drafter", "support-kb-writer"];

test("a team lead lands on their team's spend; regrouping updates the URL and the chart; the table exports as CSV", async ({
  page,
}) => {
  await signIn(page, "team_lead"); // lands on /spend
  const chart = page.getByTestId("spend-chart");
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
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
    "model,id,cost_usd,previous_period_cost_usd,change_percent,calls,errors,unpriced_calls,input_tokens,output_tokens",
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
