import type { APIRequestContext, Page } from "@playwright/test";
import { AcpRuntimeClient, digestArguments } from "../../lib/sdk/client";
import { expect, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A Support agent (Lena Lead's team) whose destructive tool calls need a person's approval. */
async function supportAgent(request: APIRequestContext, admin: string, approvalTimeoutMinutes = 15) {
  const headers = bearer(admin);
  const teamId = (await (await request.get("/api/v1/agents?q=support-triage", { headers })).json()).items[0].teamId;
  const agent = await (
    await request.post("/api/v1/agents", {
      headers,
      data: {
        slug: uniqueSlug("approver"),
        name: "Approval agent",
        teamId,
        environment: "dev",
        config: { model: "gpt-5" },
      },
    })
  ).json();
  for (const rule of [
    {
      effect: "allow",
      action: "tool:call",
      resource: "mcp:tickets/delete_*",
      requiresApproval: true,
      approvalTimeoutMinutes,
    },
    { effect: "allow", action: "tool:call", resource: "mcp:tickets/*" },
  ]) {
    expect((await request.post(`/api/v1/agents/${agent.id}/permissions`, { headers, data: rule })).status()).toBe(201);
  }
  const key = await (await request.post(`/api/v1/agents/${agent.id}/keys`, { headers, data: { name: "rt" } })).json();
  return { agent, key };
}

test("a destructive tool call waits for the team lead: approved in the inbox, the long-poll returns, redeemed once", async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const { agent, key } = await supportAgent(request, admin);
  const acp = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token });
  const args = { ticket: "T-4411", hard: true };
  const call = {
    action: "tool:call",
    resource: "mcp:tickets/delete_ticket",
    estimatedCostUsd: 0.25,
    argumentsDigest: await digestArguments(args),
    context: { ticket: "T-4411" },
  };

  // 201 and a Location: nothing is allowed yet.
  const raw = await request.post("/api/v1/runtime/authorize", { headers: bearer(key.token), data: call });
  expect(raw.status()).toBe(201);
  const pending = await raw.json();
  expect(pending).toMatchObject({ decision: "pending", code: "approval_required" });
  expect(raw.headers().location).toBe(`/api/v1/runtime/approvals/${pending.approvalId}`);
  const waiting = acp.waitForApproval(pending.approvalId, { timeoutMs: 60_000 });

  // The lead is told without looking: the bell and the navigation count it; the inbox shows what is asked.
  await signIn(page, "team_lead");
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("aria-label", /waiting for your approval/);
  await expect(page.getByTestId("approvals-waiting").first()).toBeVisible();
  await openApprovals(page);
  const item = page.getByTestId("runtime-approval").filter({ hasText: agent.slug });
  await expect(item).toContainText("mcp:tickets/delete_ticket");
  await expect(item).toContainText("Estimated $0.25");
  await expect(item).toContainText("rule #1");
  await expect(item).toContainText(/expires in 1[45] minutes/);

  // Keyboard only: reason, then Approve, confirmed in the dialog.
  await item.getByLabel("Reason").fill("T-4411 is a duplicate");
  await item.getByLabel("Reason").press("Tab");
  await expect(item.getByRole("button", { name: "Approve" })).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Approve ${agent.slug}: tool:call on mcp:tickets/delete_ticket?`);
  await dialog.getByRole("button", { name: "Approve" }).click();
  await expect(item).toHaveCount(0);
  await expect(page.getByTestId("recently-decided")).toContainText(agent.slug);

  expect(await waiting).toMatchObject({
    status: "approved",
    decidedBy: "Lena Lead (Support)",
    note: "T-4411 is a duplicate",
  });
  const redeemed = await acp.authorize({ ...call, approvalId: pending.approvalId });
  expect(redeemed).toMatchObject({ decision: "allow", code: "allowed" });
  expect(redeemed.reason).toContain("Lena Lead (Support)'s approval");
  expect(await acp.authorize({ ...call, approvalId: pending.approvalId })).toMatchObject({
    decision: "deny",
    code: "approval_invalid",
  });

  // A denial needs a reason, and the agent gets it.
  const second = await acp.authorize({ ...call, resource: "mcp:tickets/delete_comment" });
  await page.reload();
  const next = page.getByTestId("runtime-approval").filter({ hasText: "delete_comment" });
  await next.getByRole("button", { name: "Deny" }).click();
  await expect(next.getByLabel("Reason")).toBeFocused();
  await expect(next).toContainText("Say why it is denied");
  await next.getByLabel("Reason").fill("comments are kept for audit");
  await next.getByRole("button", { name: "Deny" }).click();
  await expect(next).toHaveCount(0);
  expect(await acp.waitForApproval(second.approvalId!, { timeoutMs: 5_000 })).toMatchObject({
    status: "denied",
    note: "comments are kept for audit",
  });
  expect(
    await acp.authorize({ ...call, resource: "mcp:tickets/delete_comment", approvalId: second.approvalId }),
  ).toMatchObject({
    decision: "deny",
    code: "approval_denied",
  });

  // The audit trail has the whole story, with the agent and the lead as actors.
  const events = await (
    await request.get(`/api/v1/audit/events?agentId=${agent.id}&action=approval.`, { headers: bearer(admin) })
  ).json();
  expect(events.items.map((e: { action: string }) => e.action).sort()).toEqual(
    ["approval.approved", "approval.denied", "approval.redeemed", "approval.requested", "approval.requested"].sort(),
  );
});

test("what an agent sends is shown as it is: a right-to-left override in the resource is visible, in the inbox and the confirmation", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const { agent, key } = await supportAgent(request, admin);
  const headers = bearer(admin);
  const rule = { effect: "allow", action: "refund", resource: "acct/*", requiresApproval: true };
  expect((await request.post(`/api/v1/agents/${agent.id}/permissions`, { headers, data: rule })).status()).toBe(201);
  const asked = await request.post("/api/v1/runtime/authorize", {
    headers: bearer(key.token),
    data: { action: "refund", resource: "acct/\u202E6789" },
  });
  expect(asked.status()).toBe(201);
  await signIn(page, "team_lead");
  await page.goto("/approvals");
  const item = page.getByTestId("runtime-approval").filter({ hasText: agent.slug });
  await expect(item).toContainText("acct/⟨U+202E⟩6789");
  await expect(item.getByTestId("hidden-characters")).toContainText("1 hidden character");
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Approve ${agent.slug}: refund on acct/⟨U+202E⟩6789?`);
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
});

test("an approval nobody decides expires as denied, and the agent's long-poll says so", async ({
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const admin = await tokenFor(browser, "admin");
  const { key } = await supportAgent(request, admin, 1);
  const acp = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token });
  const asked = await acp.authorize({ action: "tool:call", resource: "mcp:tickets/delete_all" });
  expect(asked.decision).toBe("pending");
  const outcome = await acp.waitForApproval(asked.approvalId!, { timeoutMs: 90_000 });
  expect(outcome.status).toBe("expired");
  expect(
    await acp.authorize({ action: "tool:call", resource: "mcp:tickets/delete_all", approvalId: asked.approvalId }),
  ).toMatchObject({
    decision: "deny",
    code: "approval_expired",
  });
});

test("the second admin finds a four-eyes deployment in the inbox and the bell, with the config diff", async ({
  page,
  request,
  browser,
}) => {
  const admin = await tokenFor(browser, "admin");
  const headers = bearer(admin);
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers })).json()).items[0].teamId;
  const slug = uniqueSlug("inbox");
  // Registered by one admin in prod: its first deployment waits for another admin.
  const registered = await request.post("/api/v1/agents", {
    headers,
    data: {
      slug,
      name: "Inbox agent",
      teamId,
      environment: "prod",
      config: { model: "gpt-5", systemPrompt: "be careful" },
    },
  });
  expect(registered.status()).toBe(201);
  expect((await registered.json()).pendingChange).toMatchObject({ status: "pending_approval" });

  await signIn(page, "ops");
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("aria-label", /waiting for your approval/);
  await openApprovals(page);
  const row = page
    .locator("#content")
    .getByTestId("change-requests")
    .locator("li", { hasText: `Deploy ${slug} v1` });
  await expect(row).toBeVisible();
  await expect(row.getByTestId("version-diff")).toContainText("be careful");
});

/**
 * Follows the navigation's Approvals link, as a person would. A click that lands while the page is still hydrating
 * (the spend page a team lead lands on is the heaviest) can be lost: it is clicked again until the page changes.
 */
async function openApprovals(page: Page) {
  await expect(async () => {
    await page
      .getByRole("link", { name: /^Approvals/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/approvals$/, { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
}
