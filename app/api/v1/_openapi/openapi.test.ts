import path from "node:path";
import { describe, expect, it } from "vitest";
import { METHODS, openApiDocument, openApiPath } from "@/lib/http/openapi";
import { successSchema } from "@/lib/http/route";
import { scanRoutes, UNDOCUMENTED } from "@/lib/http/route-files";
import { ROUTES } from "./route-modules";

type Operation = {
  parameters?: { in: string; name: string; description?: string }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
const appDir = path.resolve(import.meta.dirname, "../../..");
const doc = openApiDocument(ROUTES) as unknown as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, op })),
);

describe("the OpenAPI document", () => {
  // When this fails after adding, moving or removing a route file: `npm run api:routes` rewrites route-modules.ts.
  it("names every route file and method, and nothing else", () => {
    const files = scanRoutes(appDir)
      .filter((r) => !(r.route in UNDOCUMENTED))
      .map((r) => `${r.method} ${openApiPath(r.route).path}`)
      .sort();
    expect(operations.map((o) => o.key).sort()).toEqual(files);
  });

  it("keys each route module by its own folder", async () => {
    for (const [folder, mod] of Object.entries(ROUTES)) {
      const actual = await import(/* @vite-ignore */ path.join(appDir, folder, "route.ts"));
      for (const m of METHODS) expect(mod[m], `${m} ${folder}`).toBe(actual[m]);
    }
  });

  it("declares a schema for every success response", () => {
    for (const { key, op } of operations) {
      const successes = Object.entries(op.responses).filter(([s]) => s.startsWith("2"));
      expect(successes.length, key).toBeGreaterThan(0);
      for (const [status, r] of successes) {
        const schemas = Object.values(r.content ?? {}).map((c) => c.schema);
        expect(schemas.length && schemas.every(Boolean), `${key} ${status}`).toBeTruthy();
      }
    }
  });

  it("describes every path parameter", () => {
    for (const { key, op } of operations)
      for (const p of op.parameters?.filter((x) => x.in === "path") ?? [])
        expect(p.description, `${key} {${p.name}}`).toBeTruthy();
  });

  it("documents the error envelope for every operation", () => {
    for (const { key, op } of operations) expect(op.responses["401"], key).toBeDefined();
  });
});

describe("successSchema", () => {
  it("finds the JSON schema of a declared status, and none for an undeclared one", () => {
    const { spec } = ROUTES["/api/v1/agents/[id]/deployments"].POST as { spec: Parameters<typeof successSchema>[0] };
    expect(successSchema(spec, 201)).toBeDefined();
    expect(successSchema(spec, 202)).toBeDefined();
    expect(successSchema(spec, 200)).toBeUndefined();
  });
});
