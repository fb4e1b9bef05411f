import { describe, expect, it } from "vitest";
import { compareVersions } from "./compare";

const v = (n: number, over: object = {}) => ({
  number: n,
  model: "gpt-5",
  fallbackModel: null,
  systemPrompt: "Be brief.\nCite sources.",
  tools: ["a"],
  parameters: { temperature: 0.2 },
  extra: {},
  ...over,
});

describe("compareVersions", () => {
  it("marks changed fields and their added and removed lines", () => {
    const d = compareVersions(
      v(1),
      v(2, { model: "gpt-5-mini", systemPrompt: "Be brief.\nCite two sources.", tools: ["a", "b"] }),
    );
    const by = Object.fromEntries(d.map((f) => [f.field, f]));
    expect(by.model.changed).toBe(true);
    expect(by.model.lines).toEqual([
      { kind: "removed", text: "gpt-5" },
      { kind: "added", text: "gpt-5-mini" },
    ]);
    expect(by.systemPrompt.lines).toEqual([
      { kind: "same", text: "Be brief." },
      { kind: "removed", text: "Cite sources." },
      { kind: "added", text: "Cite two sources." },
    ]);
    expect(by.tools.lines.filter((l) => l.kind === "added").map((l) => l.text.trim())).toContain('"b"');
    expect(by.parameters.changed).toBe(false);
    expect(by.fallbackModel.lines).toEqual([{ kind: "same", text: "(none)" }]);
  });
});
