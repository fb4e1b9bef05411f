import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("CI records eval runs with a scoped token; the Versions tab shows the badges and the diff page the regressed cases", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const slug = uniqueSlug("evals-ui");
  const agent = await (
    await request.post("/api/v1/agents", {
      headers: bearer(admin),
      data: { slug, name: "Evals UI agent", teamId, environment: "dev", config: { model: "gpt-5" } },
    })
  ).json();
  expect(
    (
      await request.post(`/api/v1/agents/${agent.id}/versions`, {
        headers: bearer(admin),
        data: { model: "gpt-5-mini", note: "cheaper model" },
      })
    ).status(),
  ).toBe(201);

  // A CI token, made in Settings, limited to evals:write.
  await signIn(page, "admin");
  await page.goto("/settings");
  await page.getByLabel("Token name").fill(`ci ${Date.now()}`);
  await page.getByLabel("Access").selectOption("evals:write");
  await page.getByRole("button", { name: "Create token" }).click();
  const ci = (await page.getByTestId("new-token").textContent())!.trim();
  const denied = await request.get("/api/v1/agents", { headers: bearer(ci) });
  expect(denied.status()).toBe(403);
  expect((await denied.json()).error.code).toBe("token_scope");

  const cases = (fail: string[]) =>
    ["refuse-malware", "no-pii-leak", "cite-sources"].map((caseId) => ({
      caseId,
      passed: !fail.includes(caseId),
      costUsd: 0.01,
      latencyMs: 900,
    }));
  const post = (version: number, runId: string, score: number, fail: string[]) =>
    request.post(`/api/v1/agents/${agent.id}/versions/${version}/evals`, {
      headers: bearer(ci),
      data: {
        runId,
        suite: "safety",
        ranAt: new Date().toISOString(),
        score,
        threshold: 0.9,
        logUrl: `https://ci.example.com/${runId}`,
        cases: cases(fail),
      },
    });
  expect((await post(1, `${slug}-1`, 1, [])).status()).toBe(201);
  const second = await post(2, `${slug}-2`, 0.67, ["no-pii-leak"]);
  expect(second.status()).toBe(201);
  expect((await post(2, `${slug}-2`, 0.67, ["no-pii-leak"])).status()).toBe(200); // retried by CI: recorded once
  expect((await post(2, `${slug}-2`, 0.9, [])).status()).toBe(409);

  await page.goto(`/agents/${slug}?tab=versions`);
  const rows = page.locator("#content").getByTestId("version-rows");
  const v1 = rows.locator("tr", { hasText: "v1" });
  const v2 = rows.locator("tr", { hasText: "v2" });
  await expect(v1.locator('[data-suite="safety"]')).toHaveAttribute("data-passed", "true");
  await expect(v2.locator('[data-suite="safety"]')).toHaveAttribute("data-passed", "false");
  await expect(v2.locator('[data-suite="safety"]')).toContainText("-0.33"); // against the deployed v1

  await page.getByRole("link", { name: "v2", exact: true }).click();
  await expect(page.locator("#content").getByTestId("eval-runs")).toContainText(`${slug}-2`);
  await expect(page.getByText("What quality cost on this version: $0.03 across 1 run.")).toBeVisible();

  await page.goto(`/agents/${slug}/compare?a=1&b=2`);
  const safety = page.locator("#content").getByTestId("eval-compare-safety");
  await expect(safety).toContainText("1 regressed");
  await expect(safety.locator('tr[data-change="regressed"]')).toHaveCount(1);
  await expect(safety.locator('tr[data-change="regressed"]')).toContainText("no-pii-leak");
});
