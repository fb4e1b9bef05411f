import { test } from "@playwright/test";
import { runFuzz, runHostileClasses } from "./fuzz";
import { checkRegistry, runRoleMatrix } from "./roles";
import { runSecretScan } from "./secrets";

// One file, run in order by one worker after every other project: "a refused call wrote nothing" is checked
// against the whole audit trail, so nothing else may write meanwhile (the secret scan writes; it goes last).
test.describe.configure({ mode: "serial" });

// Each run inside one step: Playwright files every request and expect under a parent step, and outside any step it
// finds that parent by searching all the test's earlier steps, each time. Over thousands of requests that search
// (quadratic) was most of the fuzzing's time.
const inOneStep = (title: string, run: () => Promise<void>) => test.step(title, run);

test("the registry lists every API route file and method", () => checkRegistry());

test("every route × every role: the right status, and denied calls change nothing", async ({ request, browser }) => {
  test.setTimeout(300_000);
  await inOneStep("role matrix", () => runRoleMatrix(request, browser));
});

test("hostile bodies, query strings, path segments and headers on every route: never a 5xx, always the envelope, never a write", async ({
  request,
  browser,
}) => {
  test.setTimeout(600_000);
  await inOneStep("fuzzing", () => runFuzz(request, browser));
});

test("deep nesting, lone surrogates, forged cursors, bad path encoding on every route and bad cookies on console pages: never a 5xx", async ({
  request,
  browser,
}) => {
  test.setTimeout(600_000);
  await inOneStep("hostile classes", () => runHostileClasses(request, browser));
});

test("no API response, export or server log line carries key material, password hashes or session secrets", async ({
  request,
  browser,
}) => {
  test.setTimeout(300_000);
  await inOneStep("secret scan", () => runSecretScan(request, browser));
});
