import { diffLines } from "diff";
import { cn } from "@/components/ui/cn";

/** Before and after of an audit event as a readable line diff of their pretty JSON. */
export function BeforeAfter({ before, after }: { before: unknown; after: unknown }) {
  const a = before == null ? "" : JSON.stringify(before, null, 2);
  const b = after == null ? "" : JSON.stringify(after, null, 2);
  if (!a && !b) return <p className="text-sm text-slate-500">No before/after recorded for this event.</p>;
  const parts = diffLines(a ? `${a}\n` : "", b ? `${b}\n` : "");
  return (
    <pre
      className="max-h-96 overflow-auto rounded-md bg-slate-50 py-2 font-mono text-xs ring-1 ring-slate-200"
      data-testid="before-after"
    >
      {parts.flatMap((p, i) =>
        p.value
          .replace(/\n$/, "")
          .split("\n")
          .map((line, j) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed diff, rendered once and never reordered
              key={`${i}-${j}`}
              className={cn(
                "px-3",
                p.added && "bg-emerald-50 text-emerald-800",
                p.removed && "bg-rose-50 text-rose-800",
              )}
            >
              {p.added ? "+ " : p.removed ? "− " : "  "}
              {line}
            </div>
          )),
      )}
    </pre>
  );
}
