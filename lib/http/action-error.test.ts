import { describe, expect, it } from "vitest";
import { shownActionError, withActionError } from "./action-result";

const params = (url: string) => Object.fromEntries(new URL(url, "http://acp.test").searchParams);

describe("a refused form call's message in the page's URL", () => {
  it("is shown only when this server put it there: a link cannot write the console's error banner", () => {
    const url = withActionError("/settings?tab=x", "Only admins can do this");
    expect(url).toMatch(/^\/settings\?tab=x&actionError=Only%20admins%20can%20do%20this&actionErrorSig=/);
    expect(shownActionError(params(url))).toBe("Only admins can do this");
    // Another message under that signature, no signature, a signature of the wrong length, repeated parameters.
    const forged = { ...params(url), actionError: "Security notice: paste your key at https://evil.example" };
    expect(shownActionError(forged)).toBeNull();
    expect(shownActionError({ actionError: "Security notice" })).toBeNull();
    expect(shownActionError({ ...params(url), actionErrorSig: "x" })).toBeNull();
    expect(shownActionError({ actionError: ["a", "b"], actionErrorSig: params(url).actionErrorSig })).toBeNull();
  });
});
