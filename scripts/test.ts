/**
 * npm test: the whole suite. Typecheck, lint and format checks, unit tests, integration tests on the embedded
 * database and on PostgreSQL, a production build, then Playwright against the built app on a fresh embedded PGlite
 * folder and on a fresh PostgreSQL database: hostile-input journeys, role matrix and fuzzing on both, the other API and
 * browser journeys half on each,
 * every page once (all of it on PostgreSQL when DATABASE_URL is set, on PGlite when no server answers); then the crash-safety test (scripts/crash-test.ts) and the configuration CLI test
 * (scripts/config-test.ts) on PostgreSQL, and the cluster test
 * (scripts/cluster-test.ts: three instances behind HAProxy on a primary and a streaming replica).
 * PostgreSQL for integration tests: TEST_PG_URL, else DATABASE_URL's server, else 127.0.0.1:5432.
 * When no server answers, those tests are skipped with a warning (ACP_REQUIRE_PG=1 makes that a failure).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import pg from "pg";
import { clusterMissing } from "./cluster";

type Env = Record<string, string | undefined>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acp-test-"));
const env: Env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings: string[] = [];

function step(name: string, cmd: string, args: string[], extraEnv: Env = {}): boolean {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } as NodeJS.ProcessEnv });
  timings.push(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function serverUrl(): string {
  if (process.env.TEST_PG_URL) return process.env.TEST_PG_URL;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = "/postgres";
    return u.toString();
  }
  return "postgresql://postgres@127.0.0.1:5432/postgres";
}

async function pgReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function withDatabase<T>(server: string, fn: (url: string) => T): Promise<T> {
  const name = `acp_e2e_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    const u = new URL(server);
    u.pathname = `/${name}`;
    return fn(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** The slowest files or tests of each run, printed at the end: where the suite's time goes, to keep it short. */
const slowest: string[] = [];
function noteSlowest(label: string, items: [string, number][]) {
  const top = items.sort((a, b) => b[1] - a[1]).slice(0, 8);
  slowest.push(`${label}:`, ...top.map(([name, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`));
}

/** Tests that failed, or passed only on a retry, with their first error line: printed last, where CI shows it. */
const problems: string[] = [];
const firstLine = (text: unknown) =>
  stripVTControlCharacters(String(text ?? ""))
    .split("\n")
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 300) ?? "";

type PwSuite = {
  title: string;
  file?: string;
  suites?: PwSuite[];
  specs?: {
    title: string;
    tests: {
      projectName: string;
      status?: string;
      results: { duration: number; error?: { message?: string } }[];
    }[];
  }[];
};
function playwrightTests(suite: PwSuite, label: string, file = ""): [string, number][] {
  const where = suite.file ?? file;
  return [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests.map((t): [string, number] => {
        const name = `[${t.projectName}] ${where} › ${spec.title}`;
        if (t.status === "unexpected" || t.status === "flaky") {
          const error = t.results.find((r) => r.error)?.error?.message;
          problems.push(`${t.status === "flaky" ? "FLAKY (passed on retry)" : "FAILED"} on ${label}: ${name}`);
          problems.push(`    ${firstLine(error)}`);
        }
        return [name, t.results.reduce((sum, r) => sum + r.duration, 0)];
      }),
    ),
    ...(suite.suites ?? []).flatMap((s) => playwrightTests(s, label, where)),
  ];
}

function count(file: string, kind: "vitest" | "playwright", label: string) {
  if (!fs.existsSync(file)) return;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  if (kind === "vitest") {
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    const files = (r.testResults ?? []) as {
      name: string;
      startTime: number;
      endTime: number;
      assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
    }[];
    for (const f of files)
      for (const a of f.assertionResults ?? [])
        if (a.status === "failed") {
          problems.push(`FAILED (vitest): ${path.relative(process.cwd(), f.name)} › ${a.fullName}`);
          problems.push(`    ${firstLine(a.failureMessages?.[0])}`);
        }
    noteSlowest(
      label,
      files.map((f) => [path.relative(process.cwd(), f.name), f.endTime - f.startTime]),
    );
  } else {
    totals.passed += (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0);
    totals.failed += r.stats?.unexpected ?? 0;
    totals.skipped += r.stats?.skipped ?? 0;
    noteSlowest(
      label,
      ((r.suites ?? []) as PwSuite[]).flatMap((s) =>
        playwrightTests(s, label.replace(/^slowest end-to-end tests on /, "")),
      ),
    );
  }
}

async function main(): Promise<number> {
  const bin = (n: string) => path.join(process.cwd(), "node_modules", ".bin", n);
  // Next's route types first (.next/types, validator.ts included), so tsc checks all that `next build` would.
  const typechecked = step("route types", bin("next"), ["typegen"]) && step("typecheck", bin("tsc"), ["--noEmit"]);
  let ok = typechecked;
  ok = step("lint, format and import boundaries (Biome, dependency-cruiser)", "npm", ["run", "--silent", "lint"]) && ok;

  const server = serverUrl();
  const havePg = await pgReachable(server);
  if (!havePg && process.env.ACP_REQUIRE_PG === "1") {
    console.error(
      `PostgreSQL is required (ACP_REQUIRE_PG=1) but ${server.replace(/\/\/[^@]*@/, "//***@")} does not answer.`,
    );
    return 1;
  }
  if (!havePg)
    console.warn(
      `\n!!! No PostgreSQL at ${server}: PostgreSQL integration tests are SKIPPED. Set TEST_PG_URL to run them.\n`,
    );
  const projects = ["unit", "int-pglite", ...(havePg ? ["int-postgres"] : [])].flatMap((p) => ["--project", p]);
  const vitestJson = path.join(tmp, "vitest.json");
  ok =
    step(
      "unit and integration tests (vitest)",
      bin("vitest"),
      ["run", ...projects, "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
      { TEST_PG_URL: server },
    ) && ok;
  count(vitestJson, "vitest", "slowest test files (vitest; a file's tests run in order, files side by side)");

  // The build's own type check is the one just run (next.config.mjs).
  ok = step("production build", bin("next"), ["build"], typechecked ? { ACP_TYPECHECKED: "1" } : {}) && ok;
  if (!ok) {
    console.error("Skipping Playwright: an earlier step failed.");
  } else {
    // Playwright on the embedded database, then (when a server answers) again on a fresh PostgreSQL database:
    // the same journeys, the role matrix and the fuzzing on both engines, one build.
    const runE2e = (label: string, dbEnv: Env) => {
      const pwJson = path.join(tmp, `playwright-${label}.json`);
      const passed = step(
        `end-to-end tests (Playwright) on ${label}`,
        bin("playwright"),
        ["test", "--reporter=list,json"],
        {
          PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
          ...dbEnv,
        },
      );
      count(pwJson, "playwright", `slowest end-to-end tests on ${label}`);
      return passed;
    };
    const onPostgres = () => withDatabase(server, (url) => runE2e("PostgreSQL", { E2E_DATABASE_URL: url }));
    // DATABASE_URL set: the caller asked for PostgreSQL only.
    if (process.env.DATABASE_URL) ok = (await onPostgres()) && ok;
    else if (!havePg) ok = runE2e("embedded PGlite", { E2E_PGLITE_DIR: path.join(tmp, "e2e-pglite") }) && ok;
    else {
      // Both engines: the hostile-input journeys, the role matrix and the fuzzing run whole on each (how each engine
      // fails on hostile input differs); the other API and browser journeys once, every other file on each engine
      // (E2E_HALF, playwright.config.ts), as the integration tests already run every domain command on both; every
      // page at two sizes once: admins at 1440 px (every page) on PGlite, the other roles and sizes on PostgreSQL,
      // where pages render about twice as fast (E2E_PAGES).
      // A caller's E2E_PAGES=0 (no page checks) holds for both.
      const pages = (part: string) => (process.env.E2E_PAGES === "0" ? "0" : part);
      ok =
        runE2e("embedded PGlite", {
          E2E_PGLITE_DIR: path.join(tmp, "e2e-pglite"),
          E2E_HALF: "1",
          E2E_PAGES: pages("1"),
        }) && ok;
      ok =
        (await withDatabase(server, (url) =>
          runE2e("PostgreSQL", { E2E_DATABASE_URL: url, E2E_PAGES: pages("2"), E2E_HALF: "2" }),
        )) && ok;
    }
    // Crash safety (SIGKILL mid-stream, restart, resend) and graceful shutdown need PostgreSQL and the build.
    if (havePg) {
      const crashOk = step(
        "crash safety and graceful shutdown (built app on PostgreSQL)",
        bin("tsx"),
        ["scripts/crash-test.ts"],
        {
          CRASH_PG_URL: server,
        },
      );
      if (crashOk) totals.passed++;
      else totals.failed++;
      ok = crashOk && ok;
      // The `acp` CLI against its own instance (the configuration is the whole installation's).
      const configOk = step(
        "configuration as code (the acp CLI, built app on PostgreSQL)",
        bin("tsx"),
        ["scripts/config-test.ts"],
        { CONFIG_PG_URL: server },
      );
      if (configOk) totals.passed++;
      else totals.failed++;
      ok = configOk && ok;
    } else {
      totals.skipped += 2; // the crash and configuration tests
    }
    // Three instances behind HAProxy on a primary and its streaming replica (scripts/cluster-test.ts).
    const missing = clusterMissing();
    if (!missing.length) {
      const clusterOk = step("past one machine (3 instances, HAProxy, primary and replica)", bin("tsx"), [
        "scripts/cluster-test.ts",
      ]);
      if (clusterOk) totals.passed++;
      else totals.failed++;
      ok = clusterOk && ok;
    } else if (process.env.ACP_REQUIRE_CLUSTER === "1") {
      console.error(`The cluster test is required (ACP_REQUIRE_CLUSTER=1) but ${missing.join(" and ")} is missing.`);
      totals.failed++;
      ok = false;
    } else {
      console.warn(
        `\n!!! The cluster test is SKIPPED: it needs ${missing.join(" and ")} (apt-get install -y postgresql haproxy).\n`,
      );
      totals.skipped++;
    }
  }

  console.log(`\n${slowest.join("\n")}`);
  console.log(`\n${timings.join("\n")}`);
  if (problems.length) console.log(`\n${problems.join("\n")}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return ok && totals.failed === 0 ? 0 : 1;
}

main()
  .then((code) => {
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
