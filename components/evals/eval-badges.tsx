import { cn } from "@/components/ui/cn";

type Run = { suite: string; score: number; threshold: number; passed: boolean };

const fmt = (n: number) => (Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/** The latest result per suite, pass/fail, with the change against the deployed version's score on the same suite. */
export function EvalBadges({ runs, baseline }: { runs: Run[]; baseline?: Map<string, number> }) {
  if (runs.length === 0) return <span className="text-xs text-slate-500">no evals</span>;
  return (
    <div className="flex flex-wrap gap-1.5" data-testid="eval-badges">
      {runs.map((r) => {
        const base = baseline?.get(r.suite);
        const delta = base === undefined ? null : r.score - base;
        return (
          <span
            key={r.suite}
            title={`${r.suite}: score ${r.score} (threshold ${r.threshold})${delta !== null ? `, ${delta >= 0 ? "+" : ""}${fmt(delta)} vs deployed` : ""}`}
            className={cn(
              "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
              r.passed ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-rose-50 text-rose-700 ring-rose-200",
            )}
            data-suite={r.suite}
            data-passed={r.passed}
          >
            {r.passed ? "✓" : "✗"} {r.suite} <span className="tabular-nums">{fmt(r.score)}</span>
            {delta !== null && Math.abs(delta) > 1e-9 ? (
              <span
                className={cn("tabular-nums", delta > 0 ? "text-emerald-600" : "text-rose-600")}
              >{`${delta > 0 ? "+" : ""}${fmt(delta)}`}</span>
            ) : null}
          </span>
        );
      })}
    </div>
  );
}
