import { z } from "zod";

const DAY = 86_400_000;
/** The longest range each bucket may cover (the console corrects to these; the API refuses beyond them). */
export const MAX_SPAN = { hour: 31 * DAY, day: 400 * DAY, week: 3 * 366 * DAY } as const;

/**
 * A range end: an ISO 8601 date or time from 1970 to the year 9000, so that rounding it out to whole hours, days or
 * months stays a time PostgreSQL can store (year 0 or 275760 would fail there).
 */
export const rangeDate = z.coerce
  .date({ error: "an ISO 8601 date or time" })
  .min(new Date("1970-01-01T00:00:00Z"), { error: "use a date from 1970 on" })
  .max(new Date("9000-01-01T00:00:00Z"), { error: "use a date before the year 9000" });

const filters = {
  from: rangeDate,
  to: rangeDate,
  groupBy: z.enum(["agent", "team", "model", "tool"]).default("team"),
  teamId: z.string().max(100).optional(),
  agentId: z.string().max(100).optional(),
  model: z.string().max(128).optional(),
};

/** `to` after `from`, and at most `maxSpan` after it (the message says the days, and `unit` when given). */
export function checkRange(q: { from: Date; to: Date }, ctx: z.RefinementCtx, maxSpan: number, unit?: string) {
  if (q.to.getTime() <= q.from.getTime()) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  else if (q.to.getTime() - q.from.getTime() > maxSpan)
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `at most ${Math.round(maxSpan / DAY)} days${unit ? ` with ${unit}` : ""}`,
    });
}

/** Time series: a range and a bucket are required (hour buckets up to 31 days, days up to 400, weeks up to 3 years). */
export const SpendQuerySchema = z
  .object({ ...filters, bucket: z.enum(["hour", "day", "week"], { error: "hour, day or week" }) })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_SPAN[q.bucket], `${q.bucket} buckets`));
export type SpendQuery = z.input<typeof SpendQuerySchema>;

/** The spend table (top spenders, with the change against the previous period of the same length). */
export const SpendBreakdownQuerySchema = z
  .object(filters)
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_SPAN.week, "a breakdown"));
export type SpendBreakdownQuery = z.input<typeof SpendBreakdownQuerySchema>;
