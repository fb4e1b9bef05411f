/*
 * A budget's status in its period, from spend against the limit: "over" once the limit is reached, "near" from
 * NEAR_PERCENT, else "on_track". Reservations in flight do not count: the status says what was spent.
 */

export const NEAR_PERCENT = 80;
export const BUDGET_STATUSES = ["over", "near", "on_track"] as const;
export type BudgetStatus = (typeof BUDGET_STATUSES)[number];

/** Spent as a percentage of the limit, to two decimals (214.37). */
export function percentOfLimit(spent: bigint, limit: bigint): number {
  return limit > 0n ? Number((spent * 10_000n) / limit) / 100 : 0;
}

export function budgetStatus(spent: bigint, limit: bigint): BudgetStatus {
  if (spent >= limit) return "over";
  if (spent * 100n >= limit * BigInt(NEAR_PERCENT)) return "near";
  return "on_track";
}

/**
 * The tightest budget: the largest share of its limit spent (compared exactly, without rounding); on a tie the one
 * with the least left.
 */
export function tightestBudget<B extends { spentMicros: bigint; limitMicros: bigint }>(budgets: B[]): B | undefined {
  let best: B | undefined;
  for (const b of budgets) {
    if (!best) {
      best = b;
      continue;
    }
    const lhs = b.spentMicros * best.limitMicros;
    const rhs = best.spentMicros * b.limitMicros;
    if (lhs > rhs || (lhs === rhs && b.limitMicros - b.spentMicros < best.limitMicros - best.spentMicros)) best = b;
  }
  return best;
}
