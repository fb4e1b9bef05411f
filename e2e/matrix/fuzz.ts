import fc from "fast-check";
import { expect, type APIRequestContext, type Browser } from "@playwright/test";
import { REGISTRY } from "./registry";
import { auditHead, setUp } from "./shared";

/** FUZZ_SEED makes a run reproducible (CI uses the default); FUZZ_RUNS sets the cases per route method. */
const seed = Number(process.env.FUZZ_SEED ?? 20261125);
const numRuns = Number(process.env.FUZZ_RUNS ?? 20);

const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("' OR 1=1 --", "\"; DROP TABLE agents; --", "../../../../etc/passwd", "%00", "\u0000", "${jndi:ldap://x}", "<script>alert(1)</script>", "NaN", "-1", "1e309", "9".repeat(40), "[]", "{}", "null", "😀".repeat(50), "Ω≈ç√∫˜µ≤≥÷"),
  fc.string({ minLength: 3000, maxLength: 6000 }),
);
const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3, withNullPrototype: false }).map((v) => { try { return JSON.parse(JSON.stringify(v) ?? "null"); } catch { return null; } }), fc.dictionary(fc.constantFrom("name", "slug", "teamId", "action", "resource", "events", "model", "limitUsd", "suite", "score", "url", "timeZone", "environment", "versionNumber", "reason", "scope", "period"), fc.oneof(hostile, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 3 }))));
const rawBody = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.constantFrom("{", "[1,2", "nul", "\u0000\u0001", "{\"a\":}", "a".repeat(10)),
  fc.string({ unit: "binary", maxLength: 200 }),
);
const query = fc.dictionary(fc.oneof(fc.constantFrom("from", "to", "bucket", "groupBy", "limit", "cursor", "format", "q", "teamId", "agentId", "status", "action", "outcome", "scope", "archived"), fc.string({ maxLength: 8 })), hostile, { maxKeys: 5 });
const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/x-protobuf", "multipart/form-data; boundary=x", "");

/** Hostile bodies, query strings, path segments and headers on every route: never a 5xx, always the envelope, never a write. */
export async function runFuzz(request: APIRequestContext, browser: Browser) {
  const { creds, ids, auditorAuth } = await setUp(request, browser);
  let sent = 0;
  for (const entry of REGISTRY.filter((e) => !e.skip)) {
    const auth = entry.allow.includes("admin") ? creds.admin : entry.allow.includes("agent") ? creds.agent : creds.viewer;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), hostile, query, rawBody, contentType, fc.option(hostile, { nil: undefined }), async (fuzzPath, segment, q, body, type, requestId) => {
        // Either the route's real path or one whose dynamic segments are hostile.
        let path = entry.path(ids).split("?")[0];
        if (fuzzPath && entry.route.includes("[")) {
          const real = entry.route.split("/");
          path = path.split("/").map((part, i) => (real[i]?.startsWith("[") ? encodeURIComponent(segment) || "x" : part)).join("/");
        }
        const qs = new URLSearchParams(q).toString();
        const before = await auditHead(request, auditorAuth);
        const headers: Record<string, string> = { ...auth };
        if (type) headers["content-type"] = type;
        if (requestId !== undefined) headers["x-request-id"] = requestId.replace(/[^\x20-\x7e]/g, "").slice(0, 200) || "x";
        const res = await request.fetch(`${path}${qs ? `?${qs}` : ""}`, { method: entry.method, headers, data: entry.method === "GET" || entry.method === "DELETE" ? undefined : body, maxRedirects: 0, failOnStatusCode: false });
        sent++;
        const status = res.status();
        const where = `${entry.method} ${path.slice(0, 200)}${qs ? `?${qs.slice(0, 300)}…` : ""} (${type || "no type"}) → ${status}`;
        expect(status, where).toBeLessThan(500);
        // 431: Node's HTTP server refuses a request line/headers over 16 KiB before the app sees it (no envelope).
        if (status >= 400 && status !== 431) {
          const text = await res.text();
          let parsed: { error?: { code?: unknown; message?: unknown } } | null = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          expect(typeof parsed?.error?.code, `${where}: error envelope, got ${text.slice(0, 200)}`).toBe("string");
          expect(typeof parsed?.error?.message, where).toBe("string");
          expect(await auditHead(request, auditorAuth), `${where}: a refused request wrote to the audit trail`).toBe(before);
        }
      }),
      { numRuns, seed, endOnFailure: true },
    );
  }
  console.log(`[fuzz] ${sent} hostile requests sent to ${REGISTRY.filter((e) => !e.skip).length} route methods (seed ${seed})`);
}
