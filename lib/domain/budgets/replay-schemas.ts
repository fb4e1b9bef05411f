import { z } from "zod";
import { replayResult } from "../permissions/replay-schemas";
import { checkRange, rangeDate } from "../spend/schemas";
import { BudgetInputSchema, BudgetUpdateSchema } from "./schemas";

const DAY = 86_400_000;
/** The longest window a budget replay reads. */
export const MAX_BUDGET_REPLAY_DAYS = 90;

/** A draft change to the budgets: a new one, an edit of one (its scope stays), or its archiving. */
export const BudgetChangeSchema = z.discriminatedUnion(
  "op",
  [
    z.object({ op: z.literal("create"), budget: BudgetInputSchema }),
    z.object({ op: z.literal("update"), budgetId: z.string().min(1).max(100), budget: BudgetUpdateSchema }),
    z.object({ op: z.literal("archive"), budgetId: z.string().min(1).max(100) }),
  ],
  { error: 'op is "create", "update" or "archive"' },
);
export type BudgetChange = z.input<typeof BudgetChangeSchema>;

export const BudgetReplayRequestSchema = z
  .object({
    change: BudgetChangeSchema,
    from: rangeDate.optional().meta({ description: "Start of the window (default: 7 days before `to`)" }),
    to: rangeDate.optional().meta({ description: "End of the window (default: now)" }),
  })
  .transform((q) => {
    const to = q.to ?? new Date();
    return { change: q.change, to, from: q.from ?? new Date(to.getTime() - 7 * DAY) };
  })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_BUDGET_REPLAY_DAYS * DAY));

/** What a budget makes of a call: lets it through, refuses it, or switches it to the fallback model. */
export const BUDGET_OUTCOMES = ["allow", "deny", "degrade"] as const;
export type BudgetOutcome = (typeof BUDGET_OUTCOMES)[number];

const runsOut = z.array(z.object({ periodStart: z.iso.datetime(), at: z.iso.datetime() })).meta({
  description:
    "Each period of the window in which the budget would have run out (its spend reached the limit, or it first refused or degraded a call), and when",
});

export const BudgetReplayResultSchema = replayResult(BUDGET_OUTCOMES)
  .extend({
    exhausted: z.object({ current: runsOut, draft: runsOut }),
  })
  .meta({ id: "BudgetReplay" });
export type BudgetReplay = z.infer<typeof BudgetReplayResultSchema>;
