import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("admin adds a deny rule; the simulator shows the deny and names the rule; the runtime gets the same decision", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const slug = uniqueSlug("perm-ui");
  const agent = await (
    await request.post("/api/v1/agents", {
      headers: bearer(admin),
      data: { slug, name: "Permissions UI agent", teamId, environment: "dev", config: { model: "gpt-5" } },
    })
  ).json();
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "runtime" } })
  ).json();

  await signIn(page, "admin");
  await page.goto(`/agents/${slug}?tab=permissions`);
  await expect(page.getByText("No rules: this agent is denied everything.")).toBeVisible();

  // An allow rule for every GitHub tool, then a deny for destructive ones.
  const add = page.getByRole("form", { name: "Add rule" });
  // The approval's expiry is read-only until approval is asked for.
  const expiry = add.getByLabel("Approval expires after (minutes)");
  await expect(expiry).not.toBeEditable();
  await add.getByLabel("Requires a person's approval").check();
  await expect(expiry).toBeEditable();
  // An expiry the server refuses does not stay behind in the read-only field.
  await expiry.fill("0");
  await add.getByLabel("Requires a person's approval").uncheck();
  await expect(expiry).not.toBeEditable();
  await expect(expiry).toHaveValue("15");
  await add.getByLabel("Action").fill("tool:invoke");
  await add.getByLabel("Resource pattern").fill("github.*");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("rule-rows").locator("tr")).toHaveCount(1);
  await add.getByLabel("Effect").selectOption("deny");
  await add.getByLabel("Action").fill("tool:invoke");
  await add.getByLabel("Resource pattern").fill("github.delete_*");
  await add.getByLabel("Description").fill("Never delete repositories");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("rule-rows").locator("tr")).toHaveCount(2);
  await expect(page.getByTestId("rule-rows")).toContainText("Never delete repositories");

  // Bad input: a field error, nothing added.
  await add.getByLabel("Action").fill("Not An Action");
  await add.getByLabel("Resource pattern").fill("x");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(add.getByText("e.g. tool:invoke, data:read, model:use")).toBeVisible();
  await expect(page.getByTestId("rule-rows").locator("tr")).toHaveCount(2);

  const sim = page.getByRole("form", { name: "Simulate a decision" });
  await sim.getByLabel("Action").fill("tool:invoke");
  await sim.getByLabel("Resource").fill("github.delete_repo");
  await sim.getByRole("button", { name: "Simulate" }).click();
  const result = page.getByTestId("simulation-result");
  await expect(result).toContainText("deny");
  await expect(result).toContainText("rule_denied");
  await expect(page.getByTestId("simulation-reason")).toHaveText(
    "Denied by rule #2: deny tool:invoke on github.delete_*",
  );
  await expect(result.locator("[data-decided]")).toContainText("github.delete_*");
  const simulatedReason = await page.getByTestId("simulation-reason").textContent();

  const res = await request.post("/api/v1/runtime/authorize", {
    headers: bearer(key.token),
    data: { action: "tool:invoke", resource: "github.delete_repo" },
  });
  expect(res.status()).toBe(200);
  const real = await res.json();
  expect(real).toMatchObject({ decision: "deny", code: "rule_denied", reason: simulatedReason });
  const rules = await (await request.get(`/api/v1/agents/${agent.id}/permissions`, { headers: bearer(admin) })).json();
  expect(real.ruleId).toBe(rules.items[1].id);

  // Before saving a draft, its impact on the recorded calls: one allowed call would now be denied.
  await request.post("/api/v1/runtime/authorize", {
    headers: bearer(key.token),
    data: { action: "tool:invoke", resource: "github.create_issue" },
  });
  await add.getByLabel("Effect").selectOption("deny");
  await add.getByLabel("Action").fill("tool:invoke");
  await add.getByLabel("Resource pattern").fill("github.create_*");
  await add.getByRole("button", { name: "Preview impact (last 7 days)" }).click();
  const replay = add.getByTestId("replay");
  await expect(replay).toContainText("1 of 2 recorded calls");
  await expect(replay).toContainText("github.create_issue");
  await expect(replay).toContainText("allowed → denied");
  await expect(page.getByTestId("rule-rows").locator("tr")).toHaveCount(2); // a preview saves nothing
  await page.reload();

  // Reorder and delete, with confirmation.
  await page.getByRole("button", { name: "Move rule 2 up" }).click();
  await expect(page.getByTestId("rule-rows").locator("tr").first()).toContainText("github.delete_*");
  await page.getByRole("button", { name: "Delete rule 1" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete rule 1" }).click();
  await expect(page.getByTestId("rule-rows").locator("tr")).toHaveCount(1);
  await expect(page.getByTestId("rule-rows")).not.toContainText("github.delete_*");
  const after = await (
    await request.post("/api/v1/runtime/authorize", {
      headers: bearer(key.token),
      data: { action: "tool:invoke", resource: "github.delete_repo" },
    })
  ).json();
  expect(after.decision).toBe("allow");
});

test("a viewer reads the rules and can simulate, but has no editing controls", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/agents/code-reviewer?tab=permissions");
  await expect(page.getByTestId("rule-rows").locator("tr").first()).toBeVisible();
  await expect(page.getByRole("form", { name: "Add rule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete rule/ })).toHaveCount(0);
  await page.getByRole("form", { name: "Simulate a decision" }).getByLabel("Action").fill("data:write");
  await page.getByRole("form", { name: "Simulate a decision" }).getByLabel("Resource").fill("customers/1");
  await page.getByRole("button", { name: "Simulate" }).click();
  await expect(page.getByTestId("simulation-result")).toContainText("rule_denied");
});

test("a shadow rule is recorded, not enforced; its would-be effect shows beside it; promoting enforces it, dropping removes it", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const slug = uniqueSlug("shadow-ui");
  const agent = await (
    await request.post("/api/v1/agents", {
      headers: bearer(admin),
      data: { slug, name: "Shadow rules agent", teamId, environment: "dev", config: { model: "gpt-5" } },
    })
  ).json();
  const key = await (
    await request.post(`/api/v1/agents/${agent.id}/keys`, { headers: bearer(admin), data: { name: "runtime" } })
  ).json();
  await request.post(`/api/v1/agents/${agent.id}/permissions`, {
    headers: bearer(admin),
    data: { effect: "allow", action: "tool:invoke", resource: "github.*" },
  });
  const authorize = async (resource: string) =>
    (
      await request.post("/api/v1/runtime/authorize", {
        headers: bearer(key.token),
        data: { action: "tool:invoke", resource },
      })
    ).json();

  await signIn(page, "admin");
  await page.goto(`/agents/${slug}?tab=permissions`);
  const add = page.getByRole("form", { name: "Add rule" });
  await add.getByLabel("Effect").selectOption("deny");
  await add.getByLabel("Action").fill("tool:invoke");
  await add.getByLabel("Resource pattern").fill("github.merge_*");
  await add.getByLabel("Mode").selectOption("shadow");
  await add.getByRole("button", { name: "Add rule" }).click();
  const rows = page.getByTestId("rule-rows");
  await expect(rows.locator("[data-rule-id]")).toHaveCount(2);
  await expect(rows.locator("[data-rule-id]").nth(1)).toContainText("shadow");
  await expect(page.getByTestId("shadow-2")).toContainText("No recorded call matched it");

  // Not enforced: merges are still allowed, and recorded as what the rule would have done.
  expect((await authorize("github.merge_pr")).decision).toBe("allow");
  expect((await authorize("github.merge_release")).decision).toBe("allow");
  expect((await authorize("github.create_issue")).decision).toBe("allow");
  await page.reload();
  const figures = page.getByTestId("shadow-2");
  await expect(figures).toContainText("judged 2 calls");
  await expect(figures).toContainText("enforcing it would have changed 2");
  await expect(figures).toContainText("allowed → denied2");

  // Promote, confirmed: enforced from now on.
  await figures.getByRole("button", { name: "Promote rule 2" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId("shadow-2")).toHaveCount(0);
  await expect(rows.locator("[data-rule-id]").nth(1)).not.toContainText("shadow");
  expect(await authorize("github.merge_pr")).toMatchObject({ decision: "deny", code: "rule_denied" });
  const audit = await (
    await request.get(`/api/v1/audit/events?action=permission.promoted&agentId=${agent.id}`, { headers: bearer(admin) })
  ).json();
  expect(audit.items[0]).toMatchObject({ action: "permission.promoted", after: { shadowEvidence: { changed: 2 } } });

  // Another shadow rule, dropped with a confirmation: nothing enforced, nothing left.
  await add.getByLabel("Effect").selectOption("allow");
  await add.getByLabel("Action").fill("data:read");
  await add.getByLabel("Resource pattern").fill("crm.*");
  await add.getByLabel("Mode").selectOption("shadow");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("shadow-3")).toBeVisible();
  await page.getByTestId("shadow-3").getByRole("button", { name: "Drop rule 3" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Drop rule 3" }).click();
  await expect(rows.locator("[data-rule-id]")).toHaveCount(2);
});
