/**
 * The words of a permission verdict that no allow rule applied to: the headline (`reason`, which the runtime and
 * the simulator both show) and the trace line of each rule a condition excluded. Both come from here so the headline
 * can never contradict the trace ("default deny" while a rule matched and only its cost limit kept it out).
 */

/** Why an allow rule whose action and resource match did not apply. */
export type Exclusion =
  | { kind: "cost_above_limit"; estimateMicros: bigint; limitMicros: bigint }
  | { kind: "no_estimate"; limitMicros: bigint }
  | { kind: "outside_hours"; from: string; to: string; timeZone: string };

/** An allow rule that matched the action and resource but was excluded by one of its conditions. */
export type NearMiss = { position: number; exclusion: Exclusion };

/** Dollars with cents, and up to micro-dollars when a small amount needs them ($0.0012, not $0.00). */
export function usdText(micros: bigint): string {
  const text = (Number(micros) / 1e6).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  return `$${text}`;
}

function condition(ex: Exclusion, rule: "the" | "its"): string {
  switch (ex.kind) {
    case "cost_above_limit":
      return rule === "its"
        ? `the estimate ${usdText(ex.estimateMicros)} is above its per-call limit ${usdText(ex.limitMicros)}`
        : `the estimate ${usdText(ex.estimateMicros)} is above the ${usdText(ex.limitMicros)} per-call limit`;
    case "no_estimate":
      return rule === "its"
        ? `it needs a cost estimate (per-call limit ${usdText(ex.limitMicros)}) and none was given`
        : `it needs a cost estimate of at most ${usdText(ex.limitMicros)} per call, and none was given`;
    case "outside_hours":
      return rule === "its"
        ? `only within its allowed hours ${ex.from}–${ex.to} ${ex.timeZone}`
        : `it is outside the allowed hours ${ex.from}–${ex.to} ${ex.timeZone}`;
  }
}

/** The trace line of an allow rule that matched the action and resource but a condition excluded. */
export function exclusionWhy(ex: Exclusion): string {
  return `action and resource match, but ${condition(ex, "the")}`;
}

/**
 * The headline of a deny because no allow rule applied: default deny when no rule came close, else the first rule
 * (by position) that matched but a condition excluded, and how many others did.
 */
export function noAllowReason(req: { action: string; resource: string }, nearMisses: readonly NearMiss[]): string {
  if (nearMisses.length === 0) return `No rule allows ${req.action} on ${req.resource} (default deny)`;
  const [first, ...others] = [...nearMisses].sort((a, b) => a.position - b.position);
  const more =
    others.length === 0
      ? ""
      : others.length === 1
        ? " (1 more rule is excluded by its conditions)"
        : ` (${others.length} more rules are excluded by their conditions)`;
  return `Denied: rule #${first.position} matches but ${condition(first.exclusion, "its")}${more}`;
}
