import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "../fixtures";
import { type ConsoleRole, pagesFor, ROLES, resolvePath } from "../pages";

/**
 * Every console page as every role that may use it, at a desktop and a phone size: no console errors, no failed
 * requests, no serious or critical accessibility violations (axe-core), every chart drew its marks and no horizontal
 * overflow of the page body.
 *
 * Admins (who see every page and every control) load each page afresh at both sizes, with an accessibility scan at
 * each. The other roles load each page once at 1440 px, scanned there, then the same page is narrowed to 390 px for
 * the layout checks: what differs between roles is the markup (controls shown or not), which one scan covers, and the
 * server renders the same markup whatever the width.
 */
const DESKTOP = { width: 1440, height: 900 } as const;
const PHONE = { width: 390, height: 844 } as const;
type Run = { role: ConsoleRole; size: { width: number; height: number }; narrowTo?: typeof PHONE };
const ALL_RUNS: Run[] = ROLES.flatMap((role): Run[] =>
  role === "admin"
    ? [
        { role, size: DESKTOP },
        { role, size: PHONE },
      ]
    : [{ role, size: DESKTOP, narrowTo: PHONE }],
);
// E2E_PAGES=1: admins at 1440 px alone (every page, each scanned); 2: the other runs. `npm test` runs the first on the
// embedded database and the rest on PostgreSQL, where pages render about twice as fast (playwright.config.ts).
const pagesPart = process.env.E2E_PAGES;
if (pagesPart !== undefined && !["0", "1", "2"].includes(pagesPart))
  throw new Error(`E2E_PAGES is 0, 1 or 2, not "${pagesPart}"`);
const isPart1 = (r: Run) => r.role === "admin" && r.size === DESKTOP;
const RUNS =
  pagesPart === "1" ? ALL_RUNS.filter(isPart1) : pagesPart === "2" ? ALL_RUNS.filter((r) => !isPart1(r)) : ALL_RUNS;

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

/** The page body fits the viewport and every chart draws its marks. */
async function layoutFailures(page: Page, name: string): Promise<string[]> {
  await expectChartsDrawn(page, name);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  return scrollWidth > innerWidth ? [`${name}: body ${scrollWidth}px wide in ${innerWidth}px`] : [];
}

for (const { role, size, narrowTo } of RUNS) {
  // The "pages" project (playwright.config.ts): after the journeys; in `npm test`, each run on one database engine.
  test(`every page as ${role} at ${size.width}px${narrowTo ? ` and ${narrowTo.width}px` : ""}`, async ({ browser }) => {
    test.setTimeout(600_000);
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    await signIn(page, role);
    const problems = watch(page);
    const failures: string[] = [];
    // A step per page: the report shows which page a failure came from, and Playwright files each call under it
    // instead of searching every earlier call of the test for a parent.
    for (const entry of pagesFor(role)) {
      await test.step(entry.name, async () => {
        const path = await resolvePath(page, entry);
        problems.length = 0;
        if (narrowTo) await page.setViewportSize(size);
        const res = await page.goto(path);
        expect(res?.status(), `${entry.name} (${path}) answers`).toBeLessThan(400);
        await page.waitForLoadState("networkidle");
        failures.push(...(await layoutFailures(page, entry.name)));
        // Contrast does not change with the width: checked at 1440 px only (it is the slowest rule).
        const builder = new AxeBuilder({ page });
        const axe = await (size.width < 1000 ? builder.disableRules(["color-contrast"]) : builder).analyze();
        for (const v of axe.violations) {
          if (v.impact !== "serious" && v.impact !== "critical") continue;
          const targets = v.nodes.slice(0, 3).map((n) => n.target.join(" "));
          failures.push(`${entry.name}: ${v.impact} ${v.id} (${v.nodes.length}×) ${targets.join(" | ")}`);
        }
        if (narrowTo) {
          await page.setViewportSize(narrowTo);
          await page.waitForFunction((w) => window.innerWidth === w, narrowTo.width);
          failures.push(...(await layoutFailures(page, `${entry.name} at ${narrowTo.width}px`)));
        }
        failures.push(...problems.map((p) => `${entry.name}: ${p}`));
      });
    }
    await context.close();
    expect(failures, `as ${role}`).toEqual([]);
  });
}
