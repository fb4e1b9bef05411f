import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("next-auth callback URL", () => {
  const baseUrl = "http://127.0.0.1:3000";
  it("keeps same-origin paths and URLs", () => {
    expect(safeCallbackUrl({ url: "/agents?tab=keys", baseUrl })).toBe(`${baseUrl}/agents?tab=keys`);
    expect(safeCallbackUrl({ url: `${baseUrl}/spend`, baseUrl })).toBe(`${baseUrl}/spend`);
  });

  it("falls back to the console for malformed or off-site values instead of throwing", () => {
    for (const url of ["http://[", "http://evil.example/x", "//evil.example/x", "javascript:alert(1)", "https://127.0.0.1:3000/x", "http://a b"]) {
      expect(safeCallbackUrl({ url, baseUrl }), url).toBe(baseUrl);
    }
    expect(() => safeCallbackUrl({ url: "%E0%A4%A", baseUrl })).not.toThrow();
  });
});
