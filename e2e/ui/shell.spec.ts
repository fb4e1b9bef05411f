import type { Page, Route } from "@playwright/test";
import { expect, signIn, test } from "../fixtures";

test("on a phone the navigation is a drawer: it opens from the top bar, traps and returns focus, and closes on Escape, the backdrop and navigation", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "admin");
  const menu = page.getByRole("button", { name: "Open navigation" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toHaveAttribute("aria-controls", "sidebar");
  await expect(nav).toBeHidden();

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await expect(page.getByRole("button", { name: "Close navigation" })).toBeFocused();
  await page.keyboard.press("Shift+Tab"); // focus stays inside the drawer
  await expect(page.locator("#sidebar")).toContainText("Sign out");
  expect(await page.evaluate(() => document.getElementById("sidebar")?.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  await menu.click();
  await page.mouse.click(380, 400); // the backdrop, right of the drawer
  await expect(nav).toBeHidden();

  await menu.click();
  await nav.getByRole("link", { name: "Budgets" }).click();
  await expect(page).toHaveURL(/\/budgets$/);
  await expect(nav).toBeHidden();
  await expect(page.getByRole("heading", { name: "Budgets", level: 1 })).toBeVisible();

  // Nothing is wider than the phone.
  for (const path of ["/agents", "/agents/support-triage", "/budgets", "/spend", "/audit", "/people", "/settings"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const [scroll, client] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    expect(scroll, `${path} is ${scroll}px wide`).toBeLessThanOrEqual(client);
  }
});

test("the skip link is the first tab stop and lands on the content; titles name the page", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/agents/support-triage");
  await expect(page).toHaveTitle(/^Support triage · Agent Control Plane$/i);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#content")).toBeFocused();
  // At desktop width the sidebar is a column, no menu button.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Open navigation" })).toBeHidden();
});

test("an unknown address and a missing agent answer a styled 404 with a way back", async ({ page }) => {
  await signIn(page, "viewer");
  const res = await page.goto("/agents/no-such-agent-anywhere");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.getByRole("link", { name: "Back to agents" }).click();
  await expect(page).toHaveURL(/\/agents$/);

  const unknown = await page.goto("/no-such-page");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page).toHaveTitle(/Not found · Agent Control Plane/);
  const icon = await page.request.get((await page.locator('link[rel="icon"]').first().getAttribute("href")) ?? "");
  expect(icon.status()).toBe(200);
});

test("the bell's name holds the number its badge shows, also when alerts and approvals add up", async ({ page }) => {
  await page.route("**/api/v1/notifications", (route) =>
    route.request().method() === "GET"
      ? route.fulfill({ json: { unreadCount: 3, approvalsWaiting: 4, items: [] } })
      : route.fallback(),
  );
  await signIn(page, "admin");
  const bell = page.getByTestId("notification-bell");
  await expect(page.getByTestId("unread-count")).toHaveText("7");
  await expect(bell).toHaveAttribute("aria-label", "Notifications: 7 (3 unread, 4 waiting for your approval)");
});

test("on a phone the notifications bell is in the top bar, with its unread count in view and in its name", async ({
  page,
}) => {
  // A fixed count keeps this test apart from the alert specs, which raise and read the admin's alerts.
  await page.route("**/api/v1/notifications", (route) =>
    route.request().method() === "GET" ? route.fulfill({ json: { unreadCount: 3, items: [] } }) : route.fallback(),
  );
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "admin");
  const bell = page.getByRole("banner").getByRole("link", { name: "Notifications: 3 unread" });
  await expect(bell).toBeVisible();
  await expect(page.getByTestId("top-bar-unread-count")).toHaveText("3");
  const box = (await bell.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.y + box.height).toBeLessThanOrEqual(56); // inside the 56 px top bar
  expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(36); // a finger-sized target
  // The sidebar's bell is the desktop one: one bell for assistive technology at each width.
  await expect(page.getByTestId("notification-bell")).toBeHidden();
  await expect(page.getByRole("link", { name: /^Notifications/ })).toHaveCount(1);
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole("banner")).toBeHidden();
  await expect(page.getByTestId("notification-bell")).toBeVisible();
});

/** Holds the router's requests for `path` (prefetches too when `prefetches` is "hold") until `release` is called. */
async function holdNavigation(page: Page, path: string, prefetches: "pass" | "hold") {
  const held: Route[] = [];
  const prefetch = { inFlight: 0, done: 0 };
  let released = false;
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      const headers = route.request().headers();
      if (released || !headers.rsc) return route.fallback(); // after release, or a document load
      if (headers["next-router-prefetch"] && prefetches === "pass") {
        prefetch.inFlight++;
        try {
          await route.fulfill({ response: await route.fetch() });
        } finally {
          prefetch.inFlight--;
          prefetch.done++;
        }
        return;
      }
      held.push(route);
    },
  );
  return {
    prefetch,
    held,
    // Unrouting would settle the held requests itself; they are let through one by one instead.
    release: async () => {
      released = true;
      for (const route of held.splice(0)) await route.continue();
    },
  };
}

test("a nav link waiting for a page it could not prefetch shows it is pending, and the old page stays until then", async ({
  page,
}) => {
  const budgets = await holdNavigation(page, "/budgets", "hold");
  await signIn(page, "admin");
  const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budgets" });
  await expect(link.getByTestId("nav-pending")).not.toHaveAttribute("data-pending", /.*/);
  await link.click();

  await expect(link.getByTestId("nav-pending")).toHaveAttribute("data-pending", "true");
  await expect(page.getByTestId("navigation-status")).toHaveText("Loading Budgets…");
  await expect(page.getByTestId("navigation-progress")).toBeVisible();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByRole("heading", { name: "Agents", level: 1 })).toBeVisible();

  await budgets.release();
  await expect(page.getByRole("heading", { name: "Budgets", level: 1 })).toBeVisible();
  await expect(link).toHaveAttribute("aria-current", "page");
  await expect(link.getByTestId("nav-pending")).not.toHaveAttribute("data-pending", /.*/);
  await expect(page.getByTestId("navigation-status")).toHaveText("");
});

test("every page says where it is: the navigation marks the section of pages it has no entry for, detail pages carry a trail back, and long pages link their sections", async ({
  page,
}) => {
  await signIn(page, "admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  await page.goto("/lineage");
  await expect(nav.getByRole("link", { name: "Resources" })).toHaveAttribute("aria-current", "page");
  await page.goto("/notifications");
  await expect(nav.locator("[aria-current=page]")).toHaveCount(0);
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("aria-current", "page");

  // A detail page's trail leads back through the pages above it.
  await page.goto("/agents/support-triage/versions/new");
  const trail = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(trail).toContainText("Agents/support-triage/New version");
  await trail.getByRole("link", { name: "support-triage" }).click();
  await expect(page).toHaveURL(/\/agents\/support-triage\?tab=versions$/);

  // A new budget's form can be left without saving, back to where it was opened.
  await page.goto("/budgets/new");
  await page.getByRole("link", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/budgets$/);

  // Settings: "On this page" jumps to a section.
  await page.goto("/settings");
  await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Retention" }).click();
  await expect(page).toHaveURL(/\/settings#retention$/);
  await expect(page.getByRole("heading", { name: "Retention" })).toBeInViewport();
});
