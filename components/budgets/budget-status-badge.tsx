import { percentUsed } from "@/components/format";
import { Badge, type Tone } from "@/components/ui/badge";

export type BudgetStatusLike = {
  status: "over" | "near" | "on_track";
  percentUsed: number;
  budgetName?: string;
  period?: string;
};

const look: Record<BudgetStatusLike["status"], { tone: Tone; label: string; mark: string }> = {
  over: { tone: "red", label: "Over budget", mark: "▲" },
  near: { tone: "amber", label: "Near limit", mark: "!" },
  on_track: { tone: "green", label: "On track", mark: "✓" },
};

/**
 * A budget's status as words, a mark and a colour (never colour alone): "Over budget · 214 %". With the budget's name
 * and period it says which budget (the tightest covering an agent) it is about.
 */
export function BudgetStatusBadge({ s, showBudget = false }: { s: BudgetStatusLike | null; showBudget?: boolean }) {
  if (!s) return <span className="text-xs text-slate-500">No budget</span>;
  const l = look[s.status];
  const which = s.budgetName ? `${s.budgetName}${s.period ? ` (per ${s.period})` : ""}` : undefined;
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={l.tone} className="gap-1 tabular-nums">
        <span aria-hidden="true">{l.mark}</span>
        <span
          data-testid="budget-status"
          data-status={s.status}
          title={which ? `Tightest budget: ${which}` : undefined}
        >
          {l.label} · {percentUsed(s.percentUsed)}
        </span>
      </Badge>
      {showBudget && which ? <span className="text-xs text-slate-500">{which}</span> : null}
    </span>
  );
}
