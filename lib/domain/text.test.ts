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
    // Variation selectors and Hangul fillers hide text too; CRLF line ends do not.
    expect(revealHidden("a\uFE0F\u{E0101}\u3164b\r\n")).toEqual({ text: "a⟨U+FE0F⟩⟨U+E0101⟩⟨U+3164⟩b\r\n", hidden: 3 });
  });

  it("withoutHidden drops them; a name keeps its joiners (Persian and Indic scripts need them)", () => {
    expect(withoutHidden("Ada\u202E ecnaL\u200B")).toBe("Ada ecnaL");
    expect(withoutHidden("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645\u202E", { joiners: true })).toBe(
      "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
    );
    expect(withoutHidden("a\u200Db")).toBe("ab");
  });
});
