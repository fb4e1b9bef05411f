import { z } from "zod";
import { checkRange, rangeDate } from "../spend/schemas";
import type { RuleOutcome } from "./evaluate";
import { PermissionRuleInputSchema } from "./schemas";

const DAY = 86_400_000;
/** The longest window a replay reads. */
export const MAX_REPLAY_DAYS = 90;

/** A draft change to an agent's rule list: one rule added at the end, replaced in place, or deleted. */
export const RuleChangeSchema = z.discriminatedUnion(
  "op",
  [
    z.object({ op: z.literal("add"), rule: PermissionRuleInputSchema }),
    z.object({ op: z.literal("update"), ruleId: z.string().min(1).max(100), rule: PermissionRuleInputSchema }),
    z.object({ op: z.literal("delete"), ruleId: z.string().min(1).max(100) }),
  ],
  { error: 'op is "add", "update" or "delete"' },
);
export type RuleChange = z.input<typeof RuleChangeSchema>;

export const ReplayRequestSchema = z
  .object({
    change: RuleChangeSchema,
    from: rangeDate.optional().meta({ description: "Start of the window (default: 7 days before `to`)" }),
    to: rangeDate.optional().meta({ description: "End of the window (default: now)" }),
  })
  .transform((q) => {
    const to = q.to ?? new Date();
    return { change: q.change, to, from: q.from ?? new Date(to.getTime() - 7 * DAY) };
  })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_REPLAY_DAYS * DAY));

/** A call's outcome under a rule list: allowed, denied, or held for a person's approval. */
export const REPLAY_OUTCOMES = ["allow", "deny", "approval"] as const satisfies readonly RuleOutcome[];
export type ReplayOutcome = RuleOutcome;

/** A replay's answer, for rule and budget changes alike: the flipped calls by transition and by action and resource. */
export const replayResult = <const T extends readonly [string, ...string[]]>(outcomes: T) => {
  const outcome = z.enum(outcomes);
  return z.object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    decisions: z.number().int().meta({ description: "Recorded decisions replayed" }),
    changed: z.number().int().meta({ description: "How many of them the draft decides differently" }),
    changedUsageMicros: z.number().meta({ description: "Recorded usage cost behind the changed calls (micro-USD)" }),
    transitions: z.array(z.object({ from: outcome, to: outcome, calls: z.number().int(), usageMicros: z.number() })),
    groups: z
      .array(
        z.object({
          action: z.string(),
          resource: z.string(),
          from: outcome,
          to: outcome,
          calls: z.number().int(),
          usageMicros: z.number(),
          firstAt: z.iso.datetime(),
          lastAt: z.iso.datetime(),
          examples: z.array(z.string()).meta({ description: "Ids of recorded decisions that would flip" }),
        }),
      )
      .meta({ description: "The changed calls by action, resource and transition, most calls first (at most 50)" }),
    moreGroups: z.number().int().meta({ description: "Groups left out of `groups`" }),
  });
};

export const ReplayResultSchema = replayResult(REPLAY_OUTCOMES).meta({ id: "RuleReplay" });
export type RuleReplay = z.infer<typeof ReplayResultSchema>;
