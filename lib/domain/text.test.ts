import { describe, expect, it } from "vitest";
import { revealHidden, withoutHidden } from "./text";

describe("revealHidden", () => {
  it("shows every character that hides or reorders text, keeps newlines, tabs and ordinary text", () => {
    expect(revealHidden("acct/\u202E6789")).toEqual({ text: "acct/⟨U+202E⟩6789", hidden: 1 });
    // Unicode tag characters (an instruction a person cannot see), a zero-width space, a soft hyphen, an escape.
    expect(revealHidden("ok\u{E0041}\u{E0042}\u200Bx\u00AD\u001B")).toEqual({
      text: "ok⟨U+E0041⟩⟨U+E0042⟩⟨U+200B⟩x⟨U+00AD⟩⟨U+001B⟩",
      hidden: 5,
    });
    expect(revealHidden("line one\n\tline two — café 😀")).toEqual({
      text: "line one\n\tline two — café 😀",
      hidden: 0,
    });
  });
});
