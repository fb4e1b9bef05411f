import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from "@playwright/test";

export { expect };

/*
 * A page's content streams in: React sends each Suspense boundary's content hidden (`<div hidden id="S:n">`) and
 * reveals it in place a moment later, throttled (React 19.2: up to 300 ms after the last reveal). A page that
 * updates itself in that moment (a URL corrected in place, a click) renders the boundary on the client, and until
 * the reveal runs the DOM holds the content twice, once hidden: a locator then finds two elements (strict mode
 * fails). People never see the hidden copy. Journeys see the page as it is once revealed: this script, run before
 * any of the page's, makes React reveal on its next task instead of waiting out its throttle.
 */
const revealAtOnce = () => {
  Object.defineProperty(window, "$RT", { configurable: true, get: () => -1e9, set: () => {} });
};

async function revealing(context: BrowserContext): Promise<BrowserContext> {
  await context.addInitScript(revealAtOnce);
  return context;
}

/** Playwright's `test`, every browser context (the default one, and those a journey opens) revealing at once. */
export const test = base.extend<object, { browser: Browser }>({
  context: async ({ context }, use) => use(await revealing(context)),
  browser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      // browser.newPage() opens its context through this too.
      browser.newContext = async (options) => revealing(await newContext(options));
      await use(browser);
    },
    { scope: "worker" },
  ],
});

export const ACCOUNTS = {
  admin: { email: "admin@acp.local", password: "demo-admin-pass" },
  team_lead: { email: "lead@acp.local", password: "demo-lead-pass" },
  auditor: { email: "auditor@acp.local", password: "demo-auditor-pass" },
  viewer: { email: "viewer@acp.local", password: "demo-viewer-pass" },
  ops: { email: "ops@acp.local", password: "demo-ops-pass" },
} as const;
export type RoleName = keyof typeof ACCOUNTS;

export async function signIn(page: Page, role: RoleName) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(ACCOUNTS[role].email);
  await page.getByLabel("Password").fill(ACCOUNTS[role].password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Team leads land on their teams' spend; everyone else on the agent registry.
  await expect(page).toHaveURL(role === "team_lead" ? /\/spend(\?|$)/ : /\/agents$/);
}

/**
 * Headers for an API write made with the page's session cookie (page.request): a browser sends Origin on
 * every POST/PUT/PATCH/DELETE and the API refuses cookie writes without this origin; Playwright's request
 * context sends none by itself.
 */
export const sameOrigin = (page: Page) => ({ origin: new URL(page.url()).origin });

/** A personal access token made the way a person makes one: in Settings, shown once. */
export async function tokenFor(browser: Browser, role: RoleName): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, role);
  await page.goto("/settings");
  await page.getByLabel("Token name").fill(`e2e ${role} ${Date.now()}`);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  await context.close();
  expect(token).toMatch(/^acp_pat_/);
  return token;
}

/** Deleting a SIEM sink takes two admins: `admin` asks, ops approves. Answers the approval's status (or the ask's). */
export async function removeSink(
  request: APIRequestContext,
  browser: Browser,
  admin: Record<string, string>,
  id: string,
): Promise<number> {
  const asked = await request.delete(`/api/v1/audit/sinks/${id}`, { headers: admin });
  if (asked.status() !== 202) return asked.status();
  const { pendingChange } = await asked.json();
  const ops = await tokenFor(browser, "ops");
  const approved = await request.post(`/api/v1/change-requests/${pendingChange.requestId}/approve`, {
    headers: { Authorization: `Bearer ${ops}` },
    // Its receiver may be gone: a sink that has not received the request needs a note saying why.
    data: { note: "e2e clean-up: the receiver is gone" },
  });
  return approved.status();
}

export const uniqueSlug = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * Sign-in throttling counts in fixed windows (15 minutes, aligned to the epoch: lib/domain/limits/rate-limit.ts), so
 * a run of attempts that straddles a window's end is counted in two windows and the n-th is not refused. A test that
 * expects it refused starts well inside a window (waiting out the last minute of one when it must).
 */
export async function awayFromWindowEdge(windowMs = 15 * 60_000, marginMs = 60_000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 1_000));
}
