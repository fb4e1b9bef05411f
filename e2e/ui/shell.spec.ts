import { expect, test } from "@playwright/test";
import { signIn } from "../fixtures";

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
