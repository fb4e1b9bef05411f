import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// scripts/test.ts prepares a fresh database and passes it here; running `npx playwright test` alone uses a temp folder.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Set once in the runner; workers inherit it, so the secret-hygiene test reads the file the server writes.
process.env.E2E_LOG_FILE ??= `/tmp/acp-e2e-log-${Date.now()}.jsonl`;
const logFile = process.env.E2E_LOG_FILE;
const idpPort = Number(process.env.E2E_IDP_PORT ?? port + 2);
const dbEnv: Record<string, string> = process.env.E2E_DATABASE_URL
  ? { DATABASE_URL: process.env.E2E_DATABASE_URL, SEED_DEMO: "1" }
  : { DATABASE_URL: "", PGLITE_DIR: process.env.E2E_PGLITE_DIR ?? `/tmp/acp-e2e-${process.ppid}` };

// E2E_HALF=1 or 2: every other journey file of e2e/ui and e2e/api (by name), so that `npm test` runs each of them once,
// half on each database engine (the integration tests already run every domain command on both). Hostile input
// (e2e/api/hostile.spec.ts, request-security.spec.ts), the role matrix and the fuzzing run on both: how each engine
// fails on hostile input differs.
const half = process.env.E2E_HALF;
if (half !== undefined && half !== "1" && half !== "2") throw new Error(`E2E_HALF is 1 or 2, not "${half}"`);
const BOTH_ENGINES = ["every-page.spec.ts", "hostile.spec.ts", "request-security.spec.ts"];
const journeys = (dir: string) => {
  if (!half) return /.*\.spec\.ts$/;
  const files = fs
    .readdirSync(path.join(import.meta.dirname, "e2e", dir))
    .filter((f) => f.endsWith(".spec.ts"))
    .sort();
  return [
    ...files.filter((f) => !BOTH_ENGINES.includes(f)).filter((_, i) => i % 2 === Number(half) - 1),
    ...(dir === "api" ? files.filter((f) => BOTH_ENGINES.includes(f)) : []),
  ].map((f) => new RegExp(`/${f.replaceAll(".", "\\.")}$`));
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // One retry in CI: a test that passes only on its retry is still listed as FLAKY at the end of `npm test`.
  retries: process.env.CI ? 1 : 0,
  // A guard against hangs, not a timing assertion: long journeys on a busy 2-core machine take most of a minute.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    // Recorded on the retry of a failed test (CI retries once): recording every test cost 15–20 % of API-heavy ones.
    trace: "on-first-retry",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "ui", testDir: "e2e/ui", testMatch: journeys("ui"), testIgnore: /every-page\.spec\.ts/ },
    { name: "api", testDir: "e2e/api", testMatch: journeys("api") },
    // Every page as every role at two sizes: heavy (axe scans), so it runs after the journeys rather than beside them.
    // E2E_PAGES=0 leaves it out; 1 runs admins at 1440 px (every page), 2 the other roles and sizes (`npm test` runs
    // the first on PGlite, the rest on PostgreSQL). A --grep could not: matrix depends on this project, run whole.
    {
      name: "pages",
      testDir: "e2e/ui",
      testMatch: process.env.E2E_PAGES === "0" ? [] : /every-page\.spec\.ts/,
      dependencies: ["ui", "api"],
    },
    // Runs alone after the others, so "nothing changed" can be checked against the whole audit trail.
    { name: "matrix", testDir: "e2e/matrix", dependencies: ["pages"], fullyParallel: false },
  ],
  webServer: [
    {
      // A real OpenID Provider for the SSO tests.
      command: "node e2e/idp.mjs",
      url: `http://127.0.0.1:${idpPort}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { IDP_PORT: String(idpPort), IDP_APP_URL: baseURL },
    },
    {
      command: "node --import tsx scripts/start.ts",
      url: `${baseURL}/api/v1/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        ...dbEnv,
        PORT: String(port),
        HOST: "127.0.0.1",
        SEED_DAYS: process.env.SEED_DAYS ?? "14",
        NEXTAUTH_SECRET: "e2e-secret-not-for-production-use-0123456789",
        NEXTAUTH_URL: baseURL,
        NEXT_TELEMETRY_DISABLED: "1",
        OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
        OIDC_CLIENT_ID: "acp-e2e",
        OIDC_CLIENT_SECRET: "acp-e2e-secret",
        OIDC_NAME: "Test IdP",
        OIDC_ROLE_MAP: "acp-admins=admin,acp-leads=team_lead",
        // The suite (and its fuzzing) sends far more than a person would; limits are tested in lib/domain/limits.
        RATE_LIMIT_PERSON_PER_MINUTE: "50000",
        RATE_LIMIT_AGENT_KEY_PER_MINUTE: "50000",
        // The tests' webhook receivers listen on 127.0.0.1, which the SSRF guard refuses by default.
        WEBHOOK_ALLOW_PRIVATE: "1",
        // SIEM sinks are polled twice a second and retried soon after a failure, so the streaming test is quick.
        AUDIT_SINK_POLL_MS: "500",
        CANARY_CHECK_MS: "500",
        // The matrix checks that refused calls wrote nothing against the whole audit trail: a budget-per-outcome alert
        // raised by the background sweep meanwhile would read as one (the sweep is tested in lib/domain/outcomes).
        OUTCOME_COST_SWEEP_MS: "3600000",
        AUDIT_SINK_BACKOFF_BASE_MS: "500",
        // Every API answer is checked against its route's declared response schema (500 response_schema if not),
        // so every ui, api, matrix and fuzzing call also checks the documented contract.
        ACP_VALIDATE_RESPONSES: "1",
        // The server's JSON log goes to a file: the secret-hygiene test scans it.
        LOG_FILE: logFile,
      },
    },
  ],
});
