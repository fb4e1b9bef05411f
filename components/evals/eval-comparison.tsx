import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { CaseComparison } from "@/lib/domain/evals/queries";

type Side = { score: number; threshold: number; passed: boolean; passedCases: number; caseCount: number } | null;
type Suite = { suite: string; a: Side; b: Side; cases: CaseComparison[]; regressed: number };

const mark = (v: boolean | null) =>
  v === null ? (
    <span className="text-slate-500">—</span>
  ) : v ? (
    <span className="text-emerald-700">pass</span>
  ) : (
    <span className="text-rose-700">fail</span>
  );
const summary = (s: Side) =>
  s
    ? `${s.passed ? "passed" : "failed"} · ${s.score} (≥ ${s.threshold}) · ${s.passedCases}/${s.caseCount} cases`
    : "no run";

/** The two versions' latest eval runs side by side, case by case; regressions first. */
export function EvalComparison({ suites, left, right }: { suites: Suite[]; left: string; right: string }) {
  if (suites.length === 0) return null;
  const order = { regressed: 0, fixed: 1, added: 2, removed: 3, same: 4 } as const;
  return (
    <Card>
      <CardHeader
        title="Eval results"
        description={`Latest run of each suite on ${left} and ${right}. A regressed case passed on ${left} and fails on ${right}.`}
      />
      <div className="divide-y divide-slate-100">
        {suites.map((s) => (
          <section key={s.suite} className="p-4" data-testid={`eval-compare-${s.suite}`}>
            <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
              <h3 className="font-semibold">{s.suite}</h3>
              {s.regressed ? (
                <Badge tone="red">{s.regressed} regressed</Badge>
              ) : (
                <Badge tone="green">no regressions</Badge>
              )}
              <span className="text-xs text-slate-500">
                {left}: {summary(s.a)} → {right}: {summary(s.b)}
              </span>
            </div>
            {s.cases.length ? (
              <table className="w-full max-w-2xl text-sm">
                <thead className="text-left text-xs text-slate-500">
                  <tr>
                    <th className="py-1 font-medium">Case</th>
                    <th className="font-medium">{left}</th>
                    <th className="font-medium">{right}</th>
                    <th className="font-medium">Change</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {[...s.cases]
                    .sort((x, y) => order[x.change] - order[y.change] || x.caseId.localeCompare(y.caseId))
                    .map((c) => (
                      <tr
                        key={c.caseId}
                        className={cn(c.change === "regressed" && "bg-rose-50")}
                        data-change={c.change}
                      >
                        <td className="py-1 font-mono text-xs">{c.caseId}</td>
                        <td>{mark(c.a)}</td>
                        <td>{mark(c.b)}</td>
                        <td
                          className={cn(
                            "text-xs",
                            c.change === "regressed"
                              ? "font-semibold text-rose-700"
                              : c.change === "fixed"
                                ? "text-emerald-700"
                                : "text-slate-500",
                          )}
                        >
                          {c.change}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            ) : (
              <p className="text-xs text-slate-500">No per-case results reported.</p>
            )}
          </section>
        ))}
      </div>
    </Card>
  );
}
