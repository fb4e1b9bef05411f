import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/domain/errors";
import {
  assertWellFormedParams,
  findLoneSurrogate,
  isWellEncodedPath,
  jsonDepth,
  MAX_JSON_DEPTH,
  parseJsonBody,
} from "./hostile-input";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
  return null;
};

describe("hostile input", () => {
  it("measures nesting outside strings, in one pass", () => {
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[{{{{","b":"\\"[[["}')).toBe(1);
    // An escaped backslash does not escape the quote after it; an odd run of backslashes does.
    expect(jsonDepth(String.raw`{"a":"x\\","b":[[1]]}`)).toBe(3);
    expect(jsonDepth(String.raw`{"a":"\\\"[[[","b":[1]}`)).toBe(2);
    expect(jsonDepth("[".repeat(100_000), 64)).toBe(65);
  });

  it("refuses bodies nested past the limit before parsing them, and accepts the limit itself", () => {
    expect(code(() => parseJsonBody(`${"[".repeat(5000)}${"]".repeat(5000)}`))).toBe("too_deep");
    expect(code(() => parseJsonBody(`${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}`))).toBe(
      "too_deep",
    );
    expect(parseJsonBody(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`)).toBeInstanceOf(Array);
    expect(code(() => parseJsonBody("{"))).toBe("invalid_json");
    expect(parseJsonBody("")).toEqual({});
  });

  it("refuses lone surrogates in values and keys, keeps well-formed pairs", () => {
    expect(code(() => parseJsonBody('{"resource":"x\\ud800"}'))).toBe("lone_surrogate");
    expect(code(() => parseJsonBody('{"events":[{"model":"\\udfff"}]}'))).toBe("lone_surrogate");
    expect(code(() => parseJsonBody('{"\\ud800":1}'))).toBe("lone_surrogate");
    expect(code(() => parseJsonBody('{"a":"\\ude80\\ud83d"}'))).toBe("lone_surrogate"); // reversed pair
    expect(parseJsonBody('{"a":"\\ud83d\\ude80"}')).toEqual({ a: "🚀" });
    expect(findLoneSurrogate({ events: [{ model: "ok" }, { model: "\ud800" }] })).toBe("events.1.model");
    expect(code(() => assertWellFormedParams([["id", "\udc00"]]))).toBe("lone_surrogate");
    expect(code(() => assertWellFormedParams([["q", "fine 😀"]]))).toBeNull();
  });

  it("tells badly percent-encoded paths from good ones", () => {
    for (const p of ["/api/v1/agents/%E0%A4%A/keys", "/api/v1/agents/%ED%A0%80", "/agents/%", "/x/%C0%AF"])
      expect(isWellEncodedPath(p), p).toBe(false);
    for (const p of ["/api/v1/agents/ci-fixer/keys", "/api/v1/agents/%E2%82%AC", "/agents/a%20b"])
      expect(isWellEncodedPath(p), p).toBe(true);
  });
});
