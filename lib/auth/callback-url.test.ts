import { describe, expect, it } from "vitest";
import { cookieHeaderWithout, isUsableCallbackUrl, safeCallbackPath } from "./callback-url";

describe("next-auth callback URL", () => {
  const baseUrl = "http://127.0.0.1:3000";
  it("tells the callback-url cookies next-auth refuses to run with (the proxy drops them)", () => {
    for (const v of ["/agents", "http://127.0.0.1:3000/x", "https://elsewhere.example/"])
      expect(isUsableCallbackUrl(v, baseUrl), v).toBe(true);
    for (const v of ["http://[", "%", "\\\\x", "javascript:alert(1)", "%E0%A4%A", "::", "evil.example"])
      expect(isUsableCallbackUrl(v, baseUrl), v).toBe(false);
  });

  it("removes cookies from a Cookie header by name, keeping the others as they were", () => {
    const header = "next-auth.session-token=eyJ.a.b; next-auth.callback-url=http%3A%2F%2F%5B; theme=dark";
    expect(cookieHeaderWithout(header, ["next-auth.callback-url"])).toBe("next-auth.session-token=eyJ.a.b; theme=dark");
    expect(cookieHeaderWithout("next-auth.callback-url=%", ["next-auth.callback-url"])).toBe("");
  });
});

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
