import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";
import { DATA_PLANE_PROBES, DIRECT_ROUTES } from "./direct-routes.mjs";
import { MAX_JSON_BODY } from "./route";

// Next matches a matcher written as a regular expression group against the whole path.
const proxied = (pathname: string) => config.matcher.some((m) => new RegExp(`^${m}$`).test(pathname));

describe("routes scripts/serve.mjs calls itself", () => {
  it("are the agent runtime's POST routes the proxy leaves out, and only those", () => {
    expect(DIRECT_ROUTES.length).toBeGreaterThan(0);
    for (const route of DIRECT_ROUTES) {
      // Next would run no proxy for them either: the server skipping Next's handling skips nothing of ours.
      expect(proxied(route), route).toBe(false);
      const file = fs.readFileSync(path.join(process.cwd(), "app", route, "route.ts"), "utf8");
      // An agent route (lib/http/route.ts): it authenticates, reads its body within its limit and answers every error.
      expect(file, route).toMatch(/export const POST = agentRoute\(/);
    }
    // The matcher is what it was checked as: it still sends the console and the rest of the API through the proxy.
    expect(proxied("/agents")).toBe(true);
    expect(proxied("/api/v1/runtime/config")).toBe(true);
    expect(proxied("/api/v1/runtime/authorize/extra")).toBe(true);
  });

  it("the data plane's probes are GET routes that read no request: nothing the proxy checks applies to them", () => {
    for (const route of DATA_PLANE_PROBES) {
      const file = fs.readFileSync(path.join(process.cwd(), "app", route, "route.ts"), "utf8");
      expect(file, route).toMatch(/export async function GET\(\)/);
      expect(file, route).not.toMatch(/export (const|async function) (POST|PUT|PATCH|DELETE)/);
    }
  });

  it("leave static files out at the top level only: a deeper path ending .png is still checked by the proxy", () => {
    expect(proxied("/favicon.ico")).toBe(false);
    expect(proxied("/screenshot.png")).toBe(false);
    expect(proxied("/_next/static/chunks/app.js")).toBe(false);
    for (const p of ["/agents/%E0%A4%A.png", "/api/v1/agents/%E0%A4%A.txt", "/api/v1/runtime/approvals/x.ico"])
      expect(proxied(p), p).toBe(true);
  });

  it("behind the proxy, Next holds at most 2 MiB of a body before the route runs, still over the API's own limit", async () => {
    const file = path.join(process.cwd(), "next.config.mjs");
    const nextConfig: { experimental?: { proxyClientMaxBodySize?: number } } = (await import(file)).default;
    const held = nextConfig.experimental?.proxyClientMaxBodySize;
    expect(held).toBeGreaterThan(MAX_JSON_BODY);
    expect(held).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});
