import { diffLines } from "diff";

export type VersionLike = {
  number: number;
  model: string;
  fallbackModel: string | null;
  systemPrompt: string;
  tools: unknown;
  parameters: unknown;
  extra: unknown;
};

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };
export type FieldDiff = { field: string; changed: boolean; lines: DiffLine[] };

const FIELDS: [string, (v: VersionLike) => string][] = [
  ["model", (v) => v.model],
  ["fallbackModel", (v) => v.fallbackModel ?? "(none)"],
  ["systemPrompt", (v) => v.systemPrompt],
  ["tools", (v) => JSON.stringify(v.tools, null, 2)],
  ["parameters", (v) => JSON.stringify(v.parameters, null, 2)],
  ["extra", (v) => JSON.stringify(v.extra, null, 2)],
];

/** Field-by-field line diff from version `a` to version `b` (pure; the console renders it side by side). */
export function compareVersions(a: VersionLike, b: VersionLike): FieldDiff[] {
  return FIELDS.map(([field, get]) => {
    const before = get(a);
    const after = get(b);
    const lines: DiffLine[] = [];
    for (const part of diffLines(
      before.endsWith("\n") ? before : `${before}\n`,
      after.endsWith("\n") ? after : `${after}\n`,
    )) {
      const kind = part.added ? "added" : part.removed ? "removed" : "same";
      for (const text of part.value.replace(/\n$/, "").split("\n")) lines.push({ kind, text });
    }
    return { field, changed: before !== after, lines };
  });
}
