import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("the CSV writer", () => {
  it("neutralises every text cell a spreadsheet would evaluate as a formula", () => {
    for (const bad of ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]) {
      expect(csvCell(bad)).toBe(`'${bad}`);
    }
    expect(csvCell("-12.5")).toBe("'-12.5");
    expect(csvCell({ a: "=1" })).toBe('{"a":"=1"}');
    expect(csvCell(["=1"])).toBe('["=1"]');
  });

  it("keeps numbers numeric (negative ones too), plain text as it is and null as an empty cell", () => {
    expect(csvCell(-12.5)).toBe(-12.5);
    expect(csvCell(-3n)).toBe("-3");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell("support-triage")).toBe("support-triage");
    expect(csvCell("a = b")).toBe("a = b");
    expect(csvCell(new Date(Date.UTC(2026, 0, 2)))).toBe("2026-01-02T00:00:00.000Z");
  });

  it("writes RFC 4180 CSV whose parsed cells never start a formula", () => {
    const csv = toCsv([['=HYPERLINK("http://evil","x")', -12.5, null, "a,b\nc"]], ["reason", "change", "ip", "note"]);
    const [row] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(row).toEqual({ reason: `'=HYPERLINK("http://evil","x")`, change: "-12.5", ip: "", note: "a,b\nc" });
    expect(toCsv([])).toBe("");
  });
});
