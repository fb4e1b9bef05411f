/**
 * Screenshots of console pages as one role, at a desktop and a phone width, to look at what you changed:
 *   npx tsx scripts/screenshots.ts --base http://127.0.0.1:3300 --role admin /agents /spend
 * writes /tmp/acp-shots/<page>-<width>.png (--out to move them, --widths 1440,390). Start the app first (CONTRIBUTING.md).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";

const ACCOUNTS: Record<string, [string, string]> = {
  admin: ["admin@acp.local", "demo-admin-pass"],
  team_lead: ["lead@acp.local", "demo-lead-pass"],
  auditor: ["auditor@acp.local", "demo-auditor-pass"],
  viewer: ["viewer@acp.local", "demo-viewer-pass"],
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: "string", default: "http://127.0.0.1:3000" },
    role: { type: "string", default: "admin" },
    out: { type: "string", default: "/tmp/acp-shots" },
    widths: { type: "string", default: "1440,390" },
  },
});
const account = ACCOUNTS[values.role];
if (!account) throw new Error(`--role is one of ${Object.keys(ACCOUNTS).join(", ")}`);
const pages = positionals.length ? positionals : ["/agents"];
fs.mkdirSync(values.out, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
try {
  for (const width of values.widths.split(",").map(Number)) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: values.base });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(account[0]);
    await page.getByLabel("Password").fill(account[1]);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    for (const p of pages) {
      await page.goto(p);
      await page.waitForLoadState("networkidle");
      const file = path.join(
        values.out,
        `${p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home"}-${width}.png`,
      );
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
