import { z } from "zod";

const fields = {
  name: z.string().trim().min(1).max(100),
  period: z.enum(["day", "week", "month"]),
  limitUsd: z
    .number({ error: "an amount in US dollars" })
    .positive("must be more than $0")
    .max(10_000_000, "must be at most $10,000,000"),
  thresholds: z
    .array(
      z
        .number({ error: "whole percentages, e.g. 50, 80, 100" })
        .int("whole percentages, e.g. 50, 80, 100")
        .min(1, "at least 1 %")
        .max(1000, "at most 1000 %"),
    )
    .max(10, "at most 10 thresholds")
    .default([50, 80, 100]),
  hardAction: z.enum(["block", "degrade", "notify"]).default("block"),
};

export const BudgetInputSchema = z
  .object({
    ...fields,
    scope: z.enum(["agent", "team", "org"]),
    agentId: z.string().optional().nullable(),
    teamId: z.string().optional().nullable(),
  })
  .superRefine((b, ctx) => {
    if (b.scope === "agent" && !b.agentId)
      ctx.addIssue({ code: "custom", path: ["agentId"], message: "an agent budget needs an agent" });
    if (b.scope === "team" && !b.teamId)
      ctx.addIssue({ code: "custom", path: ["teamId"], message: "a team budget needs a team" });
  });
export type BudgetInput = z.input<typeof BudgetInputSchema>;

/**
 * What can change on an existing budget; its scope and target stay (archive it and create another instead). A field
 * left out keeps its value: no defaults here (a default would reset thresholds on an edit of the limit).
 */
export const BudgetUpdateSchema = z
  .object({ ...fields, thresholds: fields.thresholds.unwrap(), hardAction: fields.hardAction.unwrap() })
  .partial();
export type BudgetUpdate = z.input<typeof BudgetUpdateSchema>;

/** Lenient by design: archiving never fails on its optional note (anything but a string is dropped). */
export const ArchiveBudgetSchema = z
  .object({
    reason: z
      .string()
      .transform((r) => r.slice(0, 500))
      .optional()
      .catch(undefined)
      .meta({ description: "Why (kept in the audit trail; cut at 500 characters)" }),
  })
  .catch({});

export const BUDGET_SORTS = ["name", "period", "used", "spent", "limit", "remaining"] as const;
export type BudgetSort = (typeof BUDGET_SORTS)[number];

export const ListBudgetsQuerySchema = z.object({
  scope: z.enum(["agent", "team", "org"]).optional(),
  teamId: z.string().optional(),
  agentId: z.string().optional(),
  archived: z.enum(["true", "false"]).optional(),
  sort: z.enum(BUDGET_SORTS).optional().meta({ description: "Sort by this column (ties by name)" }),
  dir: z.enum(["asc", "desc"]).optional().meta({ description: "Sort direction (ascending unless given)" }),
  cursor: z.string().max(200).optional().meta({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListBudgetsQuery = z.input<typeof ListBudgetsQuerySchema>;

export const BudgetHistoryQuerySchema = z.object({
  periods: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .optional()
    .meta({ description: "How many periods, the current one last (default: 14 days, 12 weeks or 12 months)" }),
});
export type BudgetHistoryQuery = z.input<typeof BudgetHistoryQuerySchema>;
