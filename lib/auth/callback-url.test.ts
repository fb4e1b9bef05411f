import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const origin = "http://127.0.0.1:3000";

describe("safeCallbackPath", () => {
  it.each([
    "/\\evil.example/",
    "//evil.example",
    "https://evil.example",
    "http://evil.example/agents",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "/.//evil.example",
    "http://127.0.0.1:3001/agents",
    "",
  ])("refuses %j", (attack) => {
    const out = safeCallbackPath(attack, origin);
    expect(out).toBe("/");
    expect(new URL(out, origin).origin).toBe(origin);
  });

  it.each([
    ["/agents", "/agents"],
    ["/budgets?x=1#top", "/budgets?x=1#top"],
    ["/%5Cevil", "/%5Cevil"],
    ["/\tagents", "/agents"],
    [`${origin}/spend`, "/spend"],
  ])("keeps a path on this origin: %j", (value, expected) => {
    expect(safeCallbackPath(value, origin)).toBe(expected);
  });

  it("refuses non-strings", () => {
    expect(safeCallbackPath(undefined, origin)).toBe("/");
    expect(safeCallbackPath(["/x"], origin)).toBe("/");
  });
});
