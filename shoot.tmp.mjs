import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:3000";
const [email, password, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
await page.goto(base + "/sign-in");
await page.screenshot({ path: "/tmp/shots/signin.png" });
await page.fill("#email", email); await page.fill("#password", password);
await page.click("button[type=submit]");
await page.waitForURL(/\/agents/);
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForLoadState("networkidle");
  const name = p.replace(/[^a-z0-9]+/gi, "_");
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
  console.log("shot", p);
}
await browser.close();
