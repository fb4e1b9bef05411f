import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** One admin alone cannot get a version live in a four-eyes environment (prod), by any path. */
test("four-eyes holds against one admin: policy off, environment moves, admin grants, password resets, registration", async ({
  browser,
  request,
}) => {
  const admin = await tokenFor(browser, "admin");
  // A team of its own: other specs count the seeded teams' agents.
  const teamSlug = uniqueSlug("fe-team");
  const teamId = (
    await (
      await request.post("/api/v1/teams", { headers: auth(admin), data: { slug: teamSlug, name: teamSlug } })
    ).json()
  ).id;

  // 1. Turning prod's approval off is a request; prod still requires approval. (Rejected here: prod is shared by other specs.)
  const off = await request.put("/api/v1/environment-policies", {
    headers: auth(admin),
    data: { environment: "prod", requireApproval: false, reason: "deploy quickly" },
  });
  expect(off.status()).toBe(202);
  const offRequest = await off.json();
  expect(offRequest).toMatchObject({ status: "pending_approval" });
  expect(await (await request.get("/api/v1/environment-policies", { headers: auth(admin) })).json()).toMatchObject({
    prod: true,
  });
  const selfApprove = await request.post(`/api/v1/change-requests/${offRequest.requestId}/approve`, {
    headers: auth(admin),
    data: {},
  });
  expect(selfApprove.status()).toBe(403);
  expect((await selfApprove.json()).error.code).toBe("self_approval");
  expect(
    (
      await request.post(`/api/v1/change-requests/${offRequest.requestId}/reject`, {
        headers: auth(admin),
        data: { note: "withdrawn" },
      })
    ).status(),
  ).toBe(200);

  // 1b. An eval gate's cost limit: setting one is immediate, removing it is a request. (Staging requires no suite, so
  // its limit gates nothing other specs deploy.)
  const gate = (data: object) =>
    request.put("/api/v1/deployment-gates", {
      headers: auth(admin),
      data: { environment: "staging", suites: [], ...data },
    });
  const tightened = await gate({ maxCostPerPassedCaseUsd: 0.05 });
  expect(tightened.status()).toBe(200);
  expect(await tightened.json()).toEqual({
    environment: "staging",
    requiredSuites: [],
    maxCostPerPassedCaseUsd: 0.05,
    minScores: {},
  });
  const removal = await gate({ maxCostPerPassedCaseUsd: null, reason: "too strict" });
  expect(removal.status()).toBe(202);
  const removalId = (await removal.json()).requestId;
  const selfApproveGate = await request.post(`/api/v1/change-requests/${removalId}/approve`, {
    headers: auth(admin),
    data: {},
  });
  expect(selfApproveGate.status()).toBe(403);
  expect(
    (await request.post(`/api/v1/change-requests/${removalId}/reject`, { headers: auth(admin), data: {} })).status(),
  ).toBe(200);
  expect(await (await request.get("/api/v1/deployment-gates/staging", { headers: auth(admin) })).json()).toMatchObject({
    maxCostPerPassedCaseUsd: 0.05,
  });
  for (const bad of [-1, 0, "0.1", 1e9]) expect((await gate({ maxCostPerPassedCaseUsd: bad })).status()).toBe(422);
  expect((await request.get("/api/v1/deployment-gates/qa", { headers: auth(admin) })).status()).toBe(404);

  // 2. Registering straight into prod deploys nothing: version 1 waits for a second admin.
  const slug = uniqueSlug("fe");
  const created = await request.post("/api/v1/agents", {
    headers: auth(admin),
    data: { slug, name: "Four eyes", teamId, environment: "prod", config: { model: "gpt-5" } },
  });
  expect(created.status()).toBe(201);
  const agent = await created.json();
  expect(agent).toMatchObject({
    environment: "prod",
    deployedVersion: null,
    pendingChange: { status: "pending_approval" },
  });

  // 3. A dev agent with a live version moved into prod: the move waits; the agent stays in dev.
  const devSlug = uniqueSlug("fe-dev");
  const dev = await (
    await request.post("/api/v1/agents", {
      headers: auth(admin),
      data: { slug: devSlug, name: "Dev first", teamId, environment: "dev", config: { model: "gpt-5" } },
    })
  ).json();
  expect(dev.deployedVersion).toBe(1);
  const move = await request.patch(`/api/v1/agents/${dev.id}`, { headers: auth(admin), data: { environment: "prod" } });
  expect(move.status()).toBe(202);
  expect(await move.json()).toMatchObject({ environment: "dev", pendingChange: { status: "pending_approval" } });

  // 4. Nobody sets another admin's password.
  const people = (await (await request.get("/api/v1/users?limit=100", { headers: auth(admin) })).json()).items as {
    id: string;
    email: string;
  }[];
  const ops = people.find((p) => p.email === "ops@acp.local")!;
  const reset = await request.patch(`/api/v1/users/${ops.id}`, {
    headers: auth(admin),
    data: { password: "i-am-ops-now-123" },
  });
  expect(reset.status()).toBe(403);
  expect((await reset.json()).error.code).toBe("admin_password");

  // 5. A second admin account starts as a viewer until another admin approves.
  const email = `${uniqueSlug("second")}@acp.local`;
  const sock = await request.post("/api/v1/users", {
    headers: auth(admin),
    data: { email, name: "Second Me", role: "admin", password: "second-me-password-1" },
  });
  expect(sock.status()).toBe(201);
  expect(await sock.json()).toMatchObject({ role: "viewer", pendingChange: { status: "pending_approval" } });

  // The other admin sees every waiting change on Approvals and approves the environment move there.
  const page = await browser.newPage();
  await signIn(page, "ops");
  await page.goto("/approvals");
  const list = page.locator("#content").getByTestId("change-requests");
  await expect(list).toContainText(`Make Second Me (${email}) an admin`);
  await expect(list).toContainText(`Deploy ${slug} v1`);
  const row = list.locator("li", { hasText: `Move ${devSlug} from dev to prod` });
  await row.getByRole("button", { name: "Approve" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText("Request approved");
  expect((await (await request.get(`/api/v1/agents/${dev.id}`, { headers: auth(admin) })).json()).environment).toBe(
    "prod",
  );
  await page.close();
});
