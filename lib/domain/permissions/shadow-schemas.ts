import { z } from "zod";
import { checkRange, rangeDate } from "../spend/schemas";
import { REPLAY_OUTCOMES } from "./replay-schemas";

const DAY = 86_400_000;
/** The longest window a shadow report reads. */
export const MAX_SHADOW_DAYS = 90;

export const ShadowQuerySchema = z
  .object({
    from: rangeDate.optional().meta({ description: "Start of the window (default: 7 days before `to`)" }),
    to: rangeDate.optional().meta({ description: "End of the window (default: now)" }),
  })
  .transform((q) => {
    const to = q.to ?? new Date();
    return { to, from: q.from ?? new Date(to.getTime() - 7 * DAY) };
  })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_SHADOW_DAYS * DAY));

const outcome = z.enum(REPLAY_OUTCOMES);

export const ShadowReportSchema = z
  .object({
    ruleId: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    matched: z.number().int().meta({ description: "Recorded calls whose action and resource the rule matches" }),
    changed: z.number().int().meta({ description: "Of those, the calls the rule would have decided differently" }),
    changedUsageMicros: z.number().meta({ description: "Recorded usage cost behind the changed calls (micro-USD)" }),
    transitions: z.array(z.object({ from: outcome, to: outcome, calls: z.number().int(), usageMicros: z.number() })),
    days: z
      .array(z.object({ day: z.string(), matched: z.number().int(), changed: z.number().int() }))
      .meta({ description: "Per UTC day of the window that had matching calls" }),
    examples: z
      .array(
        z.object({
          decisionId: z.string(),
          at: z.iso.datetime(),
          action: z.string(),
          resource: z.string(),
          from: outcome,
          to: outcome,
        }),
      )
      .meta({ description: "The latest calls it would have decided differently (at most 10)" }),
  })
  .meta({ id: "ShadowReport" });
export type ShadowReport = z.infer<typeof ShadowReportSchema>;
