import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, kindsOf } from "./error-codes";
import { DomainError } from "./errors";

const root = path.resolve(import.meta.dirname, "../..");
const sources = ["app", "components", "lib"]
  .flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true }).map((f) => path.join(root, dir, String(f))),
  )
  .concat(path.join(root, "proxy.ts"))
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.ts$|lib\/db\/generated|error-codes\.ts$/.test(f));
const text = sources.map((f) => fs.readFileSync(f, "utf8")).join("\n");

describe("error code catalogue", () => {
  it("lists every code raised with a literal, with the kind it is raised as", () => {
    const raised: [string, string][] = [
      ...[...text.matchAll(/new DomainError\(\s*"(\w+)",\s*"(\w+)"/g)].map((m) => [m[2], m[1]] as [string, string]),
      ...[...text.matchAll(/\bconflict\(\s*"(\w+)"/g)].map((m) => [m[1], "conflict"] as [string, string]),
      ...[...text.matchAll(/\berrorBody\(\s*"(\w+)"/g)].map((m) => [m[1], ""] as [string, string]),
    ];
    expect(raised.length).toBeGreaterThan(30);
    for (const [code, kind] of raised) {
      expect(ERROR_CODES, `${code} is not in lib/domain/error-codes.ts`).toContain(code);
      if (kind) expect(kindsOf(code as ErrorCode), code).toContain(kind);
    }
  });

  it("has no code that nothing raises, so the OpenAPI enum is honest", () => {
    for (const code of ERROR_CODES) expect(text, `${code} is never raised`).toContain(`"${code}"`);
  });

  it("is the list exported for the OpenAPI enum, codes in snake_case", () => {
    expect(ERROR_CODES).toEqual(Object.keys(ERROR_CATALOGUE));
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it("refuses, at compile time, a code it does not list or a kind the code is not raised as", () => {
    // @ts-expect-error not a catalogued code
    expect(new DomainError("conflict", "slug_takne", "x").code).toBe("slug_takne");
    // @ts-expect-error slug_taken is a conflict (409), not a 404
    expect(new DomainError("not_found", "slug_taken", "x").kind).toBe("not_found");
    // @ts-expect-error the 500 is answered for unexpected errors, never raised
    expect(new DomainError("internal", "internal_error", "x").kind).toBe("internal");
    expect(new DomainError("forbidden", "agent_retired", "x").kind).toBe("forbidden");
  });
});
