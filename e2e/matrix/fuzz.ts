import { type APIRequestContext, type APIResponse, type Browser, expect } from "@playwright/test";
import fc from "fast-check";
import { signIn } from "../fixtures";
import { type Entry, REGISTRY } from "./registry";
import { auditWatch, inParallel, setUp } from "./shared";

/** FUZZ_SEED makes a run reproducible (CI uses the default); FUZZ_RUNS sets the cases per route method. */
const seed = Number(process.env.FUZZ_SEED ?? 20261125);
const numRuns = Number(process.env.FUZZ_RUNS ?? 20);
/** Per class: the runs per route method (or per page, for cookies). */
const classRuns = Number(process.env.FUZZ_CLASS_RUNS ?? 5);
/** `runs` cases drawn by the seed: the same ones wherever they are drawn. */
const each = <T>(arb: fc.Arbitrary<T>, runs = classRuns) => fc.sample(arb, { numRuns: runs, seed });

const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE agents; --',
    "../../../../etc/passwd",
    "%00",
    "\u0000",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal log4shell probe, not a template
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "NaN",
    "-1",
    "1e309",
    "9".repeat(40),
    "[]",
    "{}",
    "null",
    "😀".repeat(50),
    "Ω≈ç√∫˜µ≤≥÷",
  ),
  fc.string({ minLength: 3000, maxLength: 6000 }),
);
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withNullPrototype: false }).map((v) => {
    try {
      return JSON.parse(JSON.stringify(v) ?? "null");
    } catch {
      return null;
    }
  }),
  fc.dictionary(
    fc.constantFrom(
      "name",
      "slug",
      "teamId",
      "action",
      "resource",
      "events",
      "model",
      "limitUsd",
      "suite",
      "score",
      "url",
      "timeZone",
      "environment",
      "versionNumber",
      "reason",
      "scope",
      "period",
    ),
    fc.oneof(hostile, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 3 })),
  ),
);
const rawBody = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.constantFrom("{", "[1,2", "nul", "\u0000\u0001", '{"a":}', "a".repeat(10)),
  fc.string({ unit: "binary", maxLength: 200 }),
);
const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "from",
      "to",
      "bucket",
      "groupBy",
      "limit",
      "cursor",
      "format",
      "q",
      "teamId",
      "agentId",
      "status",
      "action",
      "outcome",
      "scope",
      "archived",
    ),
    fc.string({ maxLength: 8 }),
  ),
  hostile,
  { maxKeys: 5 },
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/x-protobuf",
  "multipart/form-data; boundary=x",
  "",
);

/** Hostile bodies, query strings, path segments and headers on every route: never a 5xx, always the envelope, never a write. */
export async function runFuzz(request: APIRequestContext, browser: Browser) {
  const { creds, ids, auditorAuth } = await setUp(request, browser);
  const audit = await auditWatch(request, auditorAuth, "fuzz");
  let sent = 0;
  // The same cases for every route method (seeded), each request one job, a few at a time (inParallel).
  const cases = each(
    fc.tuple(fc.boolean(), hostile, query, rawBody, contentType, fc.option(hostile, { nil: undefined })),
    numRuns,
  );
  const jobs = REGISTRY.filter((e) => !e.skip).flatMap((entry) => {
    const auth = entry.allow.includes("admin")
      ? creds.admin
      : entry.allow.includes("agent")
        ? creds.agent
        : creds.viewer;
    return cases.map(([fuzzPath, segment, q, body, type, requestId]) => async () => {
      // Either the route's real path or one whose dynamic segments are hostile.
      let path = entry.path(ids).split("?")[0];
      if (fuzzPath && entry.route.includes("[")) {
        const real = entry.route.split("/");
        path = path
          .split("/")
          .map((part, i) => (real[i]?.startsWith("[") ? encodeURIComponent(segment) || "x" : part))
          .join("/");
      }
      const qs = new URLSearchParams(q).toString();
      // Hostile request ids after the watcher's own part, which the audit trail records (it keeps the first 100).
      const id = audit.id(requestId?.replace(/[^\x20-\x7e]/g, "").slice(0, 200));
      const headers: Record<string, string> = { ...auth, "x-request-id": id };
      if (type) headers["content-type"] = type;
      const res = await request.fetch(`${path}${qs ? `?${qs}` : ""}`, {
        method: entry.method,
        headers,
        data: entry.method === "GET" || entry.method === "DELETE" ? undefined : body,
        maxRedirects: 0,
        failOnStatusCode: false,
      });
      sent++;
      const status = res.status();
      const where = `${entry.method} ${path.slice(0, 200)}${qs ? `?${qs.slice(0, 300)}…` : ""} (${type || "no type"}) → ${status}`;
      // What was sent, for a failure's message (property-based runs name their counterexample; these are plain jobs).
      const what = `${where} body ${JSON.stringify(body).slice(0, 200)} id ${id}`;
      expect(status, what).toBeLessThan(500);
      // 431: Node's HTTP server refuses a request line/headers over 16 KiB before the app sees it (no envelope).
      const refused = status >= 400 && status !== 431;
      if (refused) {
        const text = await res.text();
        let parsed: { error?: { code?: unknown; message?: unknown } } | null = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        expect(typeof parsed?.error?.code, `${what}: error envelope, got ${text.slice(0, 200)}`).toBe("string");
        expect(typeof parsed?.error?.message, what).toBe("string");
      }
      audit.sent(id, refused, what);
    });
  });
  await inParallel(jobs);
  expect(await audit.done()).toEqual([]);
  console.log(
    `[fuzz] ${sent} hostile requests sent to ${REGISTRY.filter((e) => !e.skip).length} route methods (seed ${seed})`,
  );
}

// JSON nested past the server's limit (64), as arrays, objects or a mix, inside an otherwise ordinary body.
const deepBody = fc
  .record({
    depth: fc.integer({ min: 65, max: 20_000 }),
    open: fc.constantFrom("[", '{"a":', '[{"a":'),
    key: fc.constantFrom("context", "config", "events", "name", "x"),
  })
  .map(({ depth, open, key }) => {
    const close = open === "[" ? "]" : open === '{"a":' ? "}" : "}]";
    return `{"action":"tool:invoke","resource":"x","${key}":${open.repeat(depth)}1${close.repeat(depth)}}`;
  });
// A lone surrogate written as a JSON escape (UTF-8 cannot carry one), in a value or a key, alone or beside text.
const surrogate = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `\\u${c.toString(16)}`),
  fc.constant("\\ud83d\\ud83d"),
  fc.constant("\\ude80\\ud83d"),
);
const surrogateBody = fc
  .record({
    s: surrogate,
    key: fc.constantFrom(
      "name",
      "slug",
      "resource",
      "action",
      "model",
      "reason",
      "url",
      "suite",
      "note",
      "description",
    ),
    inKey: fc.boolean(),
    prefix: fc.string({ maxLength: 5 }),
  })
  .map(({ s, key, inKey, prefix }) => {
    const text = JSON.stringify(prefix).slice(1, -1) + s;
    return inKey
      ? `{"${text}":"x","${key}":"y"}`
      : `{"${key}":"${text}","action":"tool:invoke","resource":"r","events":[{"model":"${text}"}]}`;
  });
// Cursors that decode (base64url JSON) to anything but what a list encodes, and ones that do not decode at all.
const badCursor = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc
    .constantFrom('"\\ud800"', '"-1"', '"1e400"', "{}", "[]", "null", `"${"9".repeat(30)}"`)
    .map((v) => Buffer.from(v).toString("base64url")),
  fc.string({ maxLength: 40 }),
);
// Path segments that are not percent-encoded UTF-8: truncated, overlong, encoded surrogates, stray %.
const badSegment = fc.oneof(
  fc.constantFrom("%E0%A4%A", "%", "%%", "%ZZ", "%ED%A0%80", "%C0%AF", "%FF", "%E2%82", "%F4%90%80%80", "a%2", "%00%"),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom("%E0%A4%A", "%ED%BF%BF", "%C3", "%"))
    .map(([a, b]) => encodeURIComponent(a) + b),
);
// Cookie values a browser may hold: malformed callback URLs and session tokens (printable ASCII, no `;`).
const cookieText = fc.oneof(
  fc.constantFrom(
    "%",
    "http://[",
    "%E0%A4%A",
    "javascript:alert(1)",
    "//evil.example",
    "http://evil.example/x",
    "\\\\x",
    "http://a b",
    "::",
    "",
    "%ED%A0%80",
  ),
  fc.string({ unit: "binary", maxLength: 60 }).map((v) => v.replace(/[^\x21-\x7e]|;|,/g, "")),
);
const CONSOLE_PAGES = [
  "/agents",
  "/agents/ci-fixer",
  "/agents/ci-fixer/versions/1",
  "/agents/new",
  "/spend",
  "/budgets",
  "/audit",
  "/settings",
  "/people",
  "/notifications",
];

/**
 * The classes of hostile input that once answered 500, sent on purpose so they stay fixed: deep nesting, lone
 * surrogates, forged cursors, bad percent-encoding in paths (every route), and bad cookies (console pages).
 */
export async function runHostileClasses(request: APIRequestContext, browser: Browser) {
  const { creds, ids, auditorAuth } = await setUp(request, browser);
  const counts: Record<string, number> = {
    "deep nesting": 0,
    "lone surrogates": 0,
    "bad cursors": 0,
    "bad path encoding": 0,
    "bad cookies": 0,
  };
  const serverErrors: string[] = [];
  const entries = REGISTRY.filter((e) => !e.skip);
  const authFor = (entry: Entry) =>
    entry.allow.includes("admin") ? creds.admin : entry.allow.includes("agent") ? creds.agent : creds.viewer;

  /** One request: under 500, the error envelope on a 4xx, and a refused request wrote nothing. */
  const audit = await auditWatch(request, auditorAuth, "hostile");
  const check = async (cls: string, label: string, send: (requestId: string) => Promise<APIResponse>) => {
    const id = audit.id();
    const res = await send(id);
    counts[cls]++;
    const status = res.status();
    const where = `[${cls}] ${label} → ${status}`;
    if (status >= 500) serverErrors.push(where);
    expect(status, where).toBeLessThan(500);
    const refused = status >= 400 && status !== 431;
    if (refused) {
      const text = await res.text();
      let code: unknown;
      try {
        code = JSON.parse(text)?.error?.code;
      } catch {
        /* not JSON */
      }
      expect(typeof code, `${where}: error envelope, got ${text.slice(0, 200)}`).toBe("string");
    }
    audit.sent(id, refused, where);
    return status;
  };

  // Each request one job, a few at a time (inParallel); the cases are seeded, the same for every route method.
  const jobs: (() => Promise<unknown>)[] = [];
  for (const entry of entries) {
    const auth = { ...authFor(entry), "content-type": "application/json" };
    const path = entry.path(ids).split("?")[0];
    /** The route's method with a hostile body, at its own path or another. */
    const send = (id: string, body: string | undefined, url = path) =>
      request.fetch(url, {
        method: entry.method,
        headers: { ...auth, "x-request-id": id },
        data: body,
        maxRedirects: 0,
        failOnStatusCode: false,
      });
    if (entry.method !== "GET" && entry.method !== "DELETE") {
      for (const body of each(deepBody)) {
        jobs.push(async () => {
          const status = await check(
            "deep nesting",
            `${entry.method} ${path} depth-bomb of ${body.length} bytes`,
            (id) => send(id, body),
          );
          // Refused before it is parsed (or before the body is read at all: 401/403/404/415/413).
          expect(status, `${entry.method} ${path}`).toBeGreaterThanOrEqual(400);
        });
      }
      for (const body of each(surrogateBody)) {
        jobs.push(async () => {
          const status = await check("lone surrogates", `${entry.method} ${path} ${body.slice(0, 120)}`, (id) =>
            send(id, body),
          );
          expect(status, `${entry.method} ${path} ${body}`).toBeGreaterThanOrEqual(400);
        });
      }
    }
    if (entry.method === "GET") {
      for (const cursor of each(badCursor)) {
        const url = `${path}?cursor=${encodeURIComponent(cursor)}`;
        jobs.push(() => check("bad cursors", `GET ${url}`, (id) => send(id, undefined, url)));
      }
    }
    if (entry.route.includes("[")) {
      const real = entry.route.split("/");
      for (const segment of each(badSegment)) {
        const bad = path
          .split("/")
          .map((part, i) => (real[i]?.startsWith("[") ? segment : part))
          .join("/");
        jobs.push(async () => {
          const status = await check("bad path encoding", `${entry.method} ${bad}`, (id) =>
            send(id, entry.method === "GET" || entry.method === "DELETE" ? undefined : "{}", bad),
          );
          expect(status, `${entry.method} ${bad}`).toBeGreaterThanOrEqual(400);
        });
      }
    }
  }
  await inParallel(jobs);
  expect(await audit.done()).toEqual([]);

  // Console pages with a real session and a malformed callback-url cookie must render; a malformed session
  // cookie is a redirect to sign-in. Never a 500.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "admin");
  const session = (await context.cookies()).find((c) => c.name === "next-auth.session-token")!.value;
  await context.close();
  const cookies = each(fc.tuple(cookieText, cookieText), classRuns * 2);
  await inParallel(
    CONSOLE_PAGES.flatMap((pagePath) =>
      cookies.map(([callback, badSession]) => async () => {
        const ok = await request.fetch(pagePath, {
          headers: { cookie: `next-auth.session-token=${session}; next-auth.callback-url=${callback}` },
          maxRedirects: 0,
          failOnStatusCode: false,
        });
        counts["bad cookies"]++;
        expect(ok.status(), `GET ${pagePath} with callback-url ${JSON.stringify(callback)}`).toBe(200);
        const signedOut = await request.fetch(pagePath, {
          headers: { cookie: `next-auth.session-token=${badSession}; next-auth.callback-url=${callback}` },
          maxRedirects: 0,
          failOnStatusCode: false,
        });
        counts["bad cookies"]++;
        expect(signedOut.status(), `GET ${pagePath} with session ${JSON.stringify(badSession)}`).toBeLessThan(400);
      }),
    ),
  );
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `[fuzz] hostile classes (seed ${seed}): ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}; ${total} requests, ${serverErrors.length} × 5xx`,
  );
  expect(serverErrors).toEqual([]);
}
