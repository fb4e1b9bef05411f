import { z } from "zod";
import { checkRange, rangeDate } from "../spend/schemas";

const DAY = 86_400_000;

/** `ticket.resolved`, `pr.merged`: lower-case words joined by dots, as agents name them in their reports. */
const OutcomeName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, "lower-case words joined by dots, e.g. ticket.resolved");

const fields = {
  unit: z.string().trim().min(1).max(50).meta({ description: "What one outcome counts, e.g. ticket" }),
  description: z.string().trim().max(1000).default(""),
  ownerTeamId: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .default(null)
    .meta({ description: "The team that owns the definition" }),
  hasValue: z.boolean().default(false).meta({ description: "Outcomes carry a value in US dollars (valueUsd)" }),
  maxCostPerSuccessUsd: z.number().min(0.000001, "at least $0.000001").max(1_000_000).nullable().default(null).meta({
    description:
      "A budget per outcome: at most this per successful outcome, for each reporting agent over each costPeriod; crossing it alerts once per agent and period (outcome.cost_exceeded)",
  }),
  costPeriod: z.enum(["day", "week", "month"]).default("day"),
  agentIds: z
    .array(z.string().max(100))
    .max(1000)
    .default([])
    .meta({ description: "The agents that may report it (others are refused, 422)" }),
};

export const OutcomeTypeInputSchema = z.object({ name: OutcomeName, ...fields }).strict();

/** What can change: everything but the name agents report it by. Fields left out keep their value. */
export const OutcomeTypeUpdateSchema = z
  .object({
    unit: fields.unit.optional(),
    description: z.string().trim().max(1000).optional(),
    ownerTeamId: z.string().min(1).max(100).nullable().optional(),
    hasValue: z.boolean().optional(),
    maxCostPerSuccessUsd: z.number().min(0.000001, "at least $0.000001").max(1_000_000).nullable().optional(),
    costPeriod: z.enum(["day", "week", "month"]).optional(),
    agentIds: fields.agentIds.unwrap().optional(),
    archived: z.boolean().optional().meta({ description: "Archived: agents can no longer report it" }),
  })
  .strict();

export const OutcomeTypeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    unit: z.string(),
    description: z.string(),
    ownerTeamId: z.string().nullable(),
    hasValue: z.boolean(),
    maxCostPerSuccessUsd: z.number().nullable(),
    costPeriod: z.enum(["day", "week", "month"]),
    agentIds: z.array(z.string()),
    archivedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "OutcomeType" });

export const OutcomeEventSchema = z
  .object({
    id: z.string().trim().min(1).max(200).meta({ description: "Idempotency key, unique per agent" }),
    type: z.string().trim().min(1).max(100).meta({ description: "The outcome type's name, e.g. ticket.resolved" }),
    taskId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ description: "The task it concludes; usage events naming the same taskId are its cost" }),
    success: z.boolean(),
    valueUsd: z.number().min(0).max(1_000_000).optional().nullable(),
    version: z.number().int().positive().max(1_000_000).optional().nullable(),
    timestamp: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
  })
  .strict();

export const OutcomeBatchSchema = z.object({ outcomes: z.array(OutcomeEventSchema).min(1).max(1000) }).strict();

export const OutcomeReportResultSchema = z
  .object({ accepted: z.number().int(), duplicates: z.number().int() })
  .meta({ id: "OutcomeReport" });

export const EconomicsQuerySchema = z
  .object({
    from: rangeDate.optional().meta({ description: "Start (default: 30 days before `to`)" }),
    to: rangeDate.optional().meta({ description: "End (default: now)" }),
    version: z.coerce
      .number()
      .int()
      .positive()
      .max(1_000_000)
      .optional()
      .meta({ description: "Only outcomes (and usage) reported for this version number" }),
  })
  .transform((q) => {
    const to = q.to ?? new Date();
    return { to, from: q.from ?? new Date(to.getTime() - 30 * DAY), version: q.version ?? null };
  })
  .superRefine((q, ctx) => checkRange(q, ctx, 400 * DAY));

export const EconomicsSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    version: z.number().int().nullable().meta({ description: "The version asked for (null: every version)" }),
    types: z.array(
      z.object({
        type: z.string(),
        unit: z.string(),
        outcomes: z
          .number()
          .int()
          .meta({ description: "Tasks that reported it (a task counts once: its latest report)" }),
        successes: z.number().int(),
        tasksWithoutUsage: z.number().int().meta({ description: "Of them, tasks no usage event named" }),
        successRate: z.number().nullable(),
        costMicros: z.number().meta({ description: "Usage cost of the tasks that reported this outcome" }),
        costPerSuccessMicros: z
          .number()
          .nullable()
          .meta({ description: "That cost over the successful outcomes (failed tasks' cost included)" }),
        valueMicros: z.number().nullable().meta({ description: "Value of the successful outcomes (types with value)" }),
        valuePerDollar: z.number().nullable(),
      }),
    ),
    usage: z.object({
      costMicros: z.number().meta({ description: "All the agent's usage cost in the period" }),
      taskCostMicros: z.number().meta({ description: "Of it, usage naming a task" }),
    }),
  })
  .meta({ id: "OutcomeEconomics" });
export type Economics = z.infer<typeof EconomicsSchema>;
