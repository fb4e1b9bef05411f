/**
 * Screenshots of console pages, at a desktop and a phone width, to look at what you changed.
 *
 *   npm run screenshots   (= tsx scripts/screenshots.ts --all)
 * shoots every console page (e2e/pages.ts) as every role that may use it into screenshots/<role>/<page>-<width>.png.
 * Without --base (in either mode) it starts the built app itself (building it first if needed) on a throwaway
 * embedded database with one day of demo data, and stops it at the end.
 *
 *   npx tsx scripts/screenshots.ts --base http://127.0.0.1:3300 --role admin /agents /spend
 * shoots the given paths as one role into /tmp/acp-shots/<page>-<width>.png.
 *
 * Options: --out <folder>, --widths 1440,390, --role (with paths; with --all, only that role), --port (of the app
 * started for you; 3390 by default).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Browser, chromium, type Page } from "@playwright/test";
import { ACCOUNTS } from "../e2e/fixtures";
import { type ConsoleRole, pagesFor, ROLES, resolvePath } from "../e2e/pages";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    all: { type: "boolean", default: false },
    base: { type: "string" },
    role: { type: "string" },
    out: { type: "string" },
    widths: { type: "string", default: "1440,390" },
    port: { type: "string", default: "3390" },
  },
});
if (values.role && !(ROLES as readonly string[]).includes(values.role)) {
  throw new Error(`--role is one of ${ROLES.join(", ")}`);
}
if (!values.all && !positionals.length) throw new Error("give paths to shoot, or --all");
const roles = (values.role ? [values.role] : values.all ? ROLES : ["admin"]) as ConsoleRole[];
const out = values.out ?? (values.all ? "screenshots" : "/tmp/acp-shots");
const widths = values.widths.split(",").map(Number);
const fileName = (p: string) => p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home";

/** The built app on a throwaway embedded database with one day of demo data; resolves once it answers. */
async function startApp(port: string): Promise<{ base: string; stop: () => void }> {
  const base = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-shots-db-"));
  console.log(`[screenshots] starting the app on ${base} (database in ${dir})`);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: "",
      PGLITE_DIR: dir,
      SEED_DAYS: "1",
      PORT: port,
      HOST: "127.0.0.1",
      NEXTAUTH_SECRET: randomBytes(24).toString("base64url"),
      NEXTAUTH_URL: base,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}) before answering`);
    const up = await fetch(`${base}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { base, stop };
    await new Promise((r) => setTimeout(r, 1000));
  }
  stop();
  throw new Error(`the app did not answer on ${base} within 5 minutes`);
}

async function signIn(page: Page, role: ConsoleRole) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(ACCOUNTS[role].email);
  await page.getByLabel("Password").fill(ACCOUNTS[role].password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

async function shoot(browser: Browser, base: string) {
  let count = 0;
  for (const role of roles) {
    const folder = values.all ? path.join(out, role) : out;
    fs.mkdirSync(folder, { recursive: true });
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, baseURL: base });
      const page = await context.newPage();
      await signIn(page, role);
      const targets = values.all
        ? pagesFor(role).map((entry) => ({ entry, name: entry.name }))
        : positionals.map((p) => ({ entry: { name: fileName(p), path: p, roles: ROLES }, name: fileName(p) }));
      for (const { entry, name } of targets) {
        await page.goto(await resolvePath(page, entry));
        // Not "networkidle": the router's prefetches of linked pages can hold streams open for a long time.
        await page.waitForLoadState("load");
        await page.waitForTimeout(1500);
        const file = path.join(folder, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        count++;
      }
      await context.close();
    }
  }
  return count;
}

const app = values.base ? { base: values.base, stop: () => {} } : await startApp(values.port);
try {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const count = await shoot(browser, app.base);
    console.log(`[screenshots] ${count} PNGs in ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  app.stop();
}
