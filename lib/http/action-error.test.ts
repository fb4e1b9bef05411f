import { describe, expect, it } from "vitest";
import { shownActionError, withActionError } from "./action-result";

const params = (url: string) => Object.fromEntries(new URL(url, "http://acp.test").searchParams);

describe("a refused form call's message in the page's URL", () => {
  it("is shown only when this server put it there: a link cannot write the console's error banner", () => {
    const url = withActionError("/settings?tab=x", "Only admins can do this");
    expect(url).toMatch(
      /^\/settings\?tab=x&actionError=Only%20admins%20can%20do%20this&actionErrorAt=\d+&actionErrorSig=/,
    );
    expect(shownActionError(params(url))).toBe("Only admins can do this");
    // Another message under that signature, no signature, a signature of the wrong length, repeated parameters.
    const forged = { ...params(url), actionError: "Security notice: paste your key at https://evil.example" };
    expect(shownActionError(forged)).toBeNull();
    expect(shownActionError({ actionError: "Security notice" })).toBeNull();
    expect(shownActionError({ ...params(url), actionErrorSig: "x" })).toBeNull();
    expect(shownActionError({ actionError: ["a", "b"], actionErrorSig: params(url).actionErrorSig })).toBeNull();
  });

  it("is shown for ten minutes only: a refusal the server once gave cannot be mailed round as a lure", () => {
    const at = Date.parse("2026-12-06T12:00:00Z");
    const url = params(withActionError("/agents", "An agent named Call +1 555 0100 already exists", at));
    expect(shownActionError(url, at + 9 * 60_000)).toMatch(/already exists/);
    expect(shownActionError(url, at + 11 * 60_000)).toBeNull();
    expect(shownActionError(url, at - 5 * 60_000)).toBeNull(); // from the future
    // The time is signed: moved forward, the signature no longer holds.
    expect(
      shownActionError({ ...url, actionErrorAt: String(Number(url.actionErrorAt) + 600) }, at + 11 * 60_000),
    ).toBeNull();
  });
});
