import { cn } from "@/components/ui/cn";
import type { FieldDiff } from "@/lib/domain/versions/compare";

const LABEL: Record<string, string> = {
  model: "Model",
  fallbackModel: "Fallback model",
  systemPrompt: "System prompt",
  tools: "Tools",
  parameters: "Parameters",
  extra: "Extra",
};

/** Side by side, field by field: removed lines on the left in red, added lines on the right in green. */
export function VersionDiff({ diff, left, right }: { diff: FieldDiff[]; left: string; right: string }) {
  const changed = diff.filter((f) => f.changed).length;
  return (
    <div data-testid="version-diff">
      <p className="mb-2 text-sm text-slate-600">
        {changed === 0 ? "No differences." : `${changed} field${changed === 1 ? "" : "s"} changed.`}
      </p>
      <div className="overflow-hidden rounded-md ring-1 ring-slate-200">
        {/* On a phone each field's name is a row of its own above its two sides, which get the width. */}
        <div className="grid grid-cols-2 bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 sm:grid-cols-[10rem_1fr_1fr]">
          <div className="hidden px-3 py-2 sm:block">Field</div>
          <div className="px-3 py-2 sm:border-l sm:border-slate-200">{left}</div>
          <div className="border-l border-slate-200 px-3 py-2">{right}</div>
        </div>
        {diff.map((f) => (
          <div
            key={f.field}
            className={cn(
              "grid grid-cols-2 border-t border-slate-200 text-xs sm:grid-cols-[10rem_1fr_1fr]",
              !f.changed && "text-slate-500",
            )}
            data-field={f.field}
            data-changed={f.changed}
          >
            <div className="col-span-2 bg-slate-50/60 px-3 pt-2 font-medium text-slate-700 [overflow-wrap:anywhere] sm:col-span-1 sm:bg-transparent sm:py-2">
              {LABEL[f.field] ?? f.field}
              {f.changed ? <span className="ml-1 text-amber-600">●</span> : null}
            </div>
            <pre className="whitespace-pre-wrap py-1 font-mono [overflow-wrap:anywhere] sm:border-l sm:border-slate-200">
              {f.lines
                .filter((l) => l.kind !== "added")
                .map((l, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed diff, rendered once and never reordered
                  <div key={i} className={cn("px-3", l.kind === "removed" && "bg-rose-50 text-rose-800")}>
                    {l.kind === "removed" ? "− " : "  "}
                    {l.text}
                  </div>
                ))}
            </pre>
            <pre className="whitespace-pre-wrap border-l border-slate-200 py-1 font-mono [overflow-wrap:anywhere]">
              {f.lines
                .filter((l) => l.kind !== "removed")
                .map((l, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed diff, rendered once and never reordered
                  <div key={i} className={cn("px-3", l.kind === "added" && "bg-emerald-50 text-emerald-800")}>
                    {l.kind === "added" ? "+ " : "  "}
                    {l.text}
                  </div>
                ))}
            </pre>
          </div>
        ))}
      </div>
    </div>
  );
}
