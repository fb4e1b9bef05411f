import type { Page } from "@playwright/test";
import { ACCOUNTS, expect, signIn, test } from "../fixtures";

const SUPPORT_AGENTS = ["support-kb-writer", "support-reply-drafter", "support-triage"];
// The seeded organisation; other specs may register more agents (some in Customer Support, for its team lead to
// approve their calls) while these run.
const SEEDED = [
  "ci-fixer",
  "code-reviewer",
  "data-analyst",
  "etl-monitor",
  "migration-bot",
  "release-notes",
  "sql-assistant",
  ...SUPPORT_AGENTS,
];
const SEEDED_PROD = ["code-reviewer", "data-analyst", "release-notes", "support-reply-drafter", "support-triage"];

/**
 * The slugs of the agent list on the page and on every page after it (other specs' agents may sort before the
 * seeded ones by name and push them past the first page), ending back on the page it started from.
 */
async function listedSlugs(page: Page): Promise<Set<string>> {
  const start = page.url();
  const slugs = new Set<string>();
  for (;;) {
    await expect(page.getByTestId("agent-rows")).toBeVisible();
    for (const slug of await page
      .getByTestId("agent-rows")
      .locator("tr[data-agent]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-agent") ?? "")))
      slugs.add(slug);
    const next = page.getByRole("link", { name: "Next page →" });
    if ((await next.count()) === 0) break;
    const href = await next.getAttribute("href");
    await page.goto(href!);
  }
  if (page.url() !== start) await page.goto(start);
  return slugs;
}

async function expectAllSeeded(page: Page) {
  const slugs = await listedSlugs(page);
  expect(SEEDED.filter((s) => !slugs.has(s))).toEqual([]);
}

test("signed-out people are sent to sign-in", async ({ page }) => {
  await page.goto("/agents/support-triage");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fagents%2Fsupport-triage/);
  await expect(page.getByRole("heading", { name: "Agent Control Plane" })).toBeVisible();
});

test("a wrong password is refused, shown, and audited", async ({ page, browser }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(ACCOUNTS.viewer.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("do not match");
  await expect(page).toHaveURL(/\/sign-in/);
  // Focus stays on the form (on the password, to type it again), which is described by the error.
  await expect(page.getByLabel("Password")).toBeFocused();
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/do not match/);

  const auditor = await browser.newPage();
  await signIn(auditor, "auditor");
  await auditor.goto("/audit");
  // Other specs fail sign-ins in parallel: find this one by its e-mail.
  const failed = auditor
    .getByTestId("audit-rows")
    .locator("tr", { hasText: "user.sign_in_failed" })
    .filter({ hasText: ACCOUNTS.viewer.email })
    .first();
  await expect(failed).toContainText("failure");
});

test("admin sees every agent and can register", async ({ page }) => {
  await signIn(page, "admin");
  await expect(page.getByTestId("current-role")).toHaveText("Admin");
  await expectAllSeeded(page);
  await expect(page.getByRole("link", { name: "Register agent" })).toBeVisible();
  await page.goto("/agents/support-triage");
  await expect(page.getByRole("link", { name: "Edit details" })).toBeVisible();
});

test("team lead sees only their team's agents", async ({ page }) => {
  await signIn(page, "team_lead");
  await expect(page.getByTestId("current-role")).toHaveText("Team lead");
  await page.goto("/agents");
  const slugs = await listedSlugs(page);
  expect(SUPPORT_AGENTS.filter((s) => !slugs.has(s))).toEqual([]);
  expect(SEEDED.filter((s) => !SUPPORT_AGENTS.includes(s) && slugs.has(s))).toEqual([]);
  await expect(page.getByRole("link", { name: "Register agent" })).toHaveCount(0);
  const res = await page.goto("/agents/code-reviewer");
  expect(res?.status()).toBe(404);
  await expect(page.getByText("not allowed to see it")).toBeVisible();
  await page.goto("/audit");
  await expect(page.getByText("open to admins and auditors")).toBeVisible();
});

test("auditor reads everything, changes nothing, and sees the chain verified", async ({ page }) => {
  await signIn(page, "auditor");
  await expectAllSeeded(page);
  await expect(page.getByRole("link", { name: "Register agent" })).toHaveCount(0);
  await page.goto("/agents/code-reviewer");
  await expect(page.getByRole("link", { name: "Edit details" })).toHaveCount(0);
  await page.goto("/agents/new");
  await expect(page.getByText("Only admins can register agents")).toBeVisible();
  await expect(page.getByLabel("Slug")).toHaveCount(0);
  await page.goto("/audit");
  // A navigation can briefly render the badge twice (the page it leaves and the one it opens): find the verdict.
  await expect(page.getByTestId("verify-badge").filter({ hasText: "Chain intact" }).first()).toBeVisible();
});

test("viewer reads the registry read-only, then signs out", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByTestId("current-role")).toHaveText("Viewer");
  await expectAllSeeded(page);
  await page.getByLabel("Environment").selectOption("prod");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/env=prod/);
  const prod = await listedSlugs(page);
  expect(SEEDED_PROD.filter((s) => !prod.has(s))).toEqual([]);
  expect(prod.has("ci-fixer")).toBe(false);
  await expect(page.getByTestId("agent-rows")).not.toContainText("staging");
  await expect(page.getByRole("link", { name: "Register agent" })).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/sign-in/);
});
