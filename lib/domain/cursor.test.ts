import { describe, expect, it } from "vitest";
import { CursorKeySchema, decodeCursor, encodeCursor, PositionCursorSchema, TimeIdCursorSchema } from "./cursor";
import { DomainError } from "./errors";

const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("keyset cursors", () => {
  it("round-trip the keys the lists encode", () => {
    expect(decodeCursor(encodeCursor("ci-fixer"), CursorKeySchema)).toBe("ci-fixer");
    expect(decodeCursor(encodeCursor("1234"), PositionCursorSchema)).toBe("1234");
    expect(decodeCursor(undefined, CursorKeySchema)).toBeNull();
  });

  it("refuse forged cursors of any other shape with a validation error", () => {
    const forged = [
      forge({}),
      forge([]),
      forge(null),
      forge(42),
      forge([1, 2]),
      forge("\ud800"),
      forge("x".repeat(1000)),
      "!!!",
      forge("not json").slice(1),
    ];
    for (const c of forged) {
      expect(() => decodeCursor(c, CursorKeySchema), c).toThrow(DomainError);
    }
    for (const c of [forge("12abc"), forge({ position: 1 }), forge("-1"), forge("9".repeat(40))]) {
      expect(() => decodeCursor(c, PositionCursorSchema), c).toThrow(DomainError);
    }
    // A time and id PostgreSQL cannot take (year 0, a NUL) are forged cursors too, not query errors.
    const time = "2025-01-01T00:00:00.000Z";
    expect(decodeCursor(encodeCursor([time, "0190"]), TimeIdCursorSchema)).toEqual([time, "0190"]);
    for (const c of [forge(["0000-01-01T00:00:00Z", "x"]), forge([time, "\u0000"]), forge([time, ""])])
      expect(() => decodeCursor(c, TimeIdCursorSchema), c).toThrow(DomainError);
  });
});
