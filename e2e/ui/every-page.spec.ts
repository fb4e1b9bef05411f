import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { signIn } from "../fixtures";
import { type ConsoleRole, pagesFor, ROLES, resolvePath } from "../pages";

/**
 * Every console page as every role that may use it, at a desktop and a phone size: no console errors, no failed
 * requests, no serious or critical accessibility violations (axe-core), every chart drew its marks and no horizontal
 * overflow of the page body (see LAYOUT_CHECKED_AT).
 */
const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

/** Widths at which the layout is checked: the page body fits the viewport and every chart draws its marks. */
const LAYOUT_CHECKED_AT: readonly number[] = [1440, 390];

/** Answers a page may get on purpose (none yet): "METHOD status path". */
const EXPECTED_4XX: readonly RegExp[] = [];

test.describe.configure({ mode: "parallel" });

function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (msg) => {
    // A failed load is reported (with its path) by the response listener below; Chromium's console line for it has
    // no path and also fires for prefetches the page no longer waits for.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    const line = `${res.request().method()} ${res.status()} ${new URL(res.url()).pathname}`;
    if (res.status() >= 500 || (res.status() >= 400 && !EXPECTED_4XX.some((re) => re.test(line)))) {
      problems.push(`answer: ${line}`);
    }
  });
  page.on("requestfailed", (req) => {
    // Navigating away cancels prefetches and streams still in flight: that is not a failure.
    const failure = req.failure()?.errorText ?? "";
    if (!failure.includes("ERR_ABORTED")) problems.push(`request failed: ${req.method()} ${req.url()} ${failure}`);
  });
  return problems;
}

/** Every chart has a drawing surface with bars, lines or areas in it. */
async function expectChartsDrawn(page: Page, name: string) {
  const charts = page.locator(".recharts-responsive-container");
  const count = await charts.count();
  for (let i = 0; i < count; i++) {
    const chart = charts.nth(i);
    await expect(
      chart
        .locator(".recharts-surface")
        .locator(".recharts-bar-rectangle path, .recharts-line-curve, .recharts-area-area"),
      `${name}: chart ${i + 1} draws marks`,
    ).not.toHaveCount(0);
  }
}

for (const role of ROLES) {
  for (const size of SIZES) {
    // The "pages" project (playwright.config.ts): after the journeys, and on the embedded database only in `npm test`.
    test(`every page as ${role} at ${size.width}px`, async ({ browser }) => {
      test.setTimeout(600_000);
      const context = await browser.newContext({ viewport: size });
      const page = await context.newPage();
      await signIn(page, role as ConsoleRole);
      const problems = watch(page);
      const failures: string[] = [];
      for (const entry of pagesFor(role)) {
        const path = await resolvePath(page, entry);
        problems.length = 0;
        const res = await page.goto(path);
        expect(res?.status(), `${entry.name} (${path}) answers`).toBeLessThan(400);
        await page.waitForLoadState("networkidle");
        if (LAYOUT_CHECKED_AT.includes(size.width)) {
          await expectChartsDrawn(page, entry.name);
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          if (scrollWidth > innerWidth) failures.push(`${entry.name}: body ${scrollWidth}px wide in ${innerWidth}px`);
        }
        // Contrast does not change with the width: checked once, at 1440 px (it is the slowest rule).
        const builder = new AxeBuilder({ page });
        const axe = await (size.width < 1000 ? builder.disableRules(["color-contrast"]) : builder).analyze();
        for (const v of axe.violations) {
          if (v.impact !== "serious" && v.impact !== "critical") continue;
          const targets = v.nodes.slice(0, 3).map((n) => n.target.join(" "));
          failures.push(`${entry.name}: ${v.impact} ${v.id} (${v.nodes.length}×) ${targets.join(" | ")}`);
        }
        failures.push(...problems.map((p) => `${entry.name}: ${p}`));
      }
      await context.close();
      expect(failures, `as ${role} at ${size.width}px`).toEqual([]);
    });
  }
}
