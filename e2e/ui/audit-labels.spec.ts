import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

type Labels = {
  actor: string;
  target: string | null;
  requestedBy: { id: string; label: string } | null;
  approvedBy: { id: string; label: string } | null;
};
type Page = { items: { position: string; action: string; targetId: string | null }[]; labels: Record<string, Labels> };

test("the audit trail names what it shows, and hides routine sign-ins until asked", async ({ page }) => {
  await signIn(page, "auditor");
  // Inside #content: while React reveals a streamed segment, a hidden copy of it can linger outside (react#37014).
  const content = page.locator("#content");
  await page.goto("/audit");
  const rows = content.getByTestId("audit-rows");
  await expect(rows.locator("tr").first()).toBeVisible();
  // The auditor has just signed in, yet the newest rows are changes: sign-ins are hidden by default.
  const toggle = content.getByTestId("hide-sign-ins");
  await expect(toggle).toBeChecked();
  await expect(rows).not.toContainText("user.signed_in");

  // Other workers write events all the time, so the auditor's own sign-in is looked for among the auditor's events
  // (an actor filter), not in the newest 50 of everyone's.
  await page.goto("/audit?actor=auditor%40acp.local");
  await content.getByTestId("hide-sign-ins").uncheck();
  await expect(page).toHaveURL(/excludeSignIns=false/);
  await expect(rows.first()).toContainText("user.signed_in");
  // Shareable: the address alone shows them, and Apply keeps them shown.
  await page.goto("/audit?actor=auditor%40acp.local&excludeSignIns=false");
  await expect(content.getByTestId("hide-sign-ins")).not.toBeChecked();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/excludeSignIns=false/);
  await expect(rows.first()).toContainText("user.signed_in");
  await content.getByTestId("hide-sign-ins").check();
  await expect(page).not.toHaveURL(/excludeSignIns/);
  await expect(page.locator("#content").getByText("user.signed_in")).toHaveCount(0);

  // A target is named, not shown as a bare id.
  await page.goto("/audit");
  const filters = page.getByRole("search", { name: "Filter audit events" });
  await filters.getByLabel("Agent").selectOption({ label: "support-triage" });
  await filters.getByLabel("Action").selectOption({ label: "Agent registered" });
  await filters.getByRole("button", { name: "Apply" }).click();
  const registered = rows.locator("tr", { hasText: "agent.registered" }).first();
  await expect(registered.getByTestId("audit-target")).toHaveText("Support triage (support-triage)");
  await page.goto("/audit?action=permission.created");
  await expect(rows.getByTestId("audit-target").first()).toHaveText(/^rule #\d+: (allow|deny) \S+ .+ \([a-z0-9-]+\)$/);

  // The API answers the same: labels beside the items, and the same filter.
  const res = await page.request.get("/api/v1/audit/events?limit=100&excludeSignIns=true");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as Page;
  expect(body.items.some((e) => e.action === "user.signed_in")).toBe(false);
  expect(Object.keys(body.labels).sort()).toEqual(body.items.map((e) => e.position).sort());
  const all = (await (
    await page.request.get("/api/v1/audit/events?limit=100&actor=auditor%40acp.local")
  ).json()) as Page;
  expect(all.items.some((e) => e.action === "user.signed_in")).toBe(true);
  expect((await page.request.get("/api/v1/audit/events?excludeSignIns=yes")).status()).toBe(422);
});

test("a four-eyes rollback shows who asked for it and who approved it", async ({ page, browser, request }) => {
  const admin = { Authorization: `Bearer ${await tokenFor(browser, "admin")}` };
  const ops = { Authorization: `Bearer ${await tokenFor(browser, "ops")}` };
  const approve = async (requestId: string) =>
    expect(
      (await request.post(`/api/v1/change-requests/${requestId}/approve`, { headers: ops, data: {} })).status(),
    ).toBe(200);
  // A team of its own: other specs count the seeded teams' agents.
  const teamSlug = uniqueSlug("audit-fe");
  const team = await (
    await request.post("/api/v1/teams", { headers: admin, data: { slug: teamSlug, name: teamSlug } })
  ).json();
  const slug = uniqueSlug("audit-fe");
  const agent = await (
    await request.post("/api/v1/agents", {
      headers: admin,
      data: { slug, name: "Audited four eyes", teamId: team.id, environment: "prod", config: { model: "gpt-5" } },
    })
  ).json();
  await approve(agent.pendingChange.requestId);
  const v2 = await request.post(`/api/v1/agents/${agent.id}/versions`, {
    headers: admin,
    data: { model: "gpt-5-mini", note: "cheaper" },
  });
  expect(v2.status()).toBe(201);
  const deploy = await request.post(`/api/v1/agents/${agent.id}/deployments`, {
    headers: admin,
    data: { versionNumber: 2 },
  });
  expect(deploy.status()).toBe(202);
  await approve((await deploy.json()).requestId);
  const rollback = await request.post(`/api/v1/agents/${agent.id}/deployments`, {
    headers: admin,
    data: { versionNumber: 1, reason: "mini drops the ticket context" },
  });
  expect(rollback.status()).toBe(202);
  await approve((await rollback.json()).requestId);

  await signIn(page, "auditor");
  await page.goto(`/audit?agentId=${agent.id}&action=deployment.rolled_back`);
  const row = page.locator("#content").getByTestId("audit-rows").locator("tr", { hasText: "deployment.rolled_back" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("four-eyes")).toHaveText("requested by Ada Admin · approved by Omar Ops");
  await expect(row).toContainText("Omar Ops (ops@acp.local)");
  await expect(row.getByTestId("audit-target")).toHaveText(`Audited four eyes (${slug})`);
  await expect(row).toContainText("mini drops the ticket context");
  await page.goto(`/audit?agentId=${agent.id}&action=deployment.approved`);
  const approved = page.locator("#content").getByTestId("audit-rows").locator("tr").first();
  await expect(approved.getByTestId("audit-target")).toHaveText(`rollback ${slug} to v1`);
  await expect(approved.getByTestId("four-eyes")).toHaveText("requested by Ada Admin · approved by Omar Ops");
});
