import { z } from "zod";

export const StartCanarySchema = z
  .object({
    versionNumber: z
      .number()
      .int()
      .positive()
      .max(1_000_000)
      .meta({ description: "The version to try on a share of the traffic" }),
    percent: z
      .number()
      .int("a whole percentage")
      .min(1, "at least 1 %")
      .max(99, "at most 99 % (deploy it to serve everyone)")
      .meta({ description: "Share of routing keys served the canary" }),
    maxCostIncreasePct: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(25)
      .meta({ description: "Roll back when the canary's cost per call exceeds stable's by more than this %" }),
    maxErrorRateIncreasePts: z
      .number()
      .min(0)
      .max(100)
      .default(2)
      .meta({ description: "Roll back when the canary's error rate exceeds stable's by more than these points" }),
    minCalls: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(50)
      .meta({ description: "Calls each side needs before the guard judges" }),
    outcomeType: z.string().trim().min(1).max(100).optional().meta({
      description:
        "Also guard cost per successful outcome of this type (one the agent reports, with the version it ran): with maxCostPerSuccessIncreasePct",
    }),
    maxCostPerSuccessIncreasePct: z.number().int().min(0).max(1000).optional().meta({
      description: "Roll back when the canary's cost per successful outcome exceeds stable's by more than this %",
    }),
    minOutcomes: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(20)
      .meta({ description: "Outcomes each side needs before the outcome guard judges" }),
    reason: z.string().trim().max(1000).default(""),
  })
  .superRefine((s, ctx) => {
    if ((s.outcomeType === undefined) !== (s.maxCostPerSuccessIncreasePct === undefined))
      ctx.addIssue({
        code: "custom",
        path: [s.outcomeType === undefined ? "outcomeType" : "maxCostPerSuccessIncreasePct"],
        message: "an outcome guard needs both the outcome type and the maximum increase",
      });
  });
export type StartCanaryInput = z.input<typeof StartCanarySchema>;
/** A canary's share and guard, as started or as carried by a four-eyes request. */
export type CanarySettings = Omit<z.output<typeof StartCanarySchema>, "versionNumber" | "reason" | "minOutcomes"> & {
  minOutcomes?: number;
};
/** What a four-eyes canary request carries: the settings, and the live version the requester saw. */
export type CanaryChange = CanarySettings & { stableVersionId: string; stableVersionNumber: number };

export const CanaryStartedSchema = z
  .object({
    status: z.literal("started"),
    id: z.string(),
    versionNumber: z.number().int(),
    percent: z.number().int(),
  })
  .meta({ id: "CanaryStarted" });

export const EndCanarySchema = z.object({ reason: z.string().trim().max(1000).default("") });

const side = z.object({
  versionNumber: z.number().int(),
  calls: z.number().int(),
  errors: z.number().int(),
  errorRate: z.number().nullable().meta({ description: "errors / calls (0–1); null without calls" }),
  costMicros: z.number(),
  costPerCallMicros: z.number().nullable().meta({ description: "Over priced calls; null without any" }),
  avgLatencyMs: z.number().nullable(),
  outcomes: z
    .object({
      outcomes: z.number().int().meta({ description: "Tasks that reported the guard's outcome type (each once)" }),
      successes: z.number().int(),
      costPerSuccessMicros: z.number().nullable(),
    })
    .nullable()
    .optional()
    .meta({ description: "With an outcome guard: that type's outcomes reported for this version since the start" }),
});

export const CanaryComparisonSchema = z.object({
  canary: side,
  stable: side,
  breach: z
    .string()
    .nullable()
    .meta({ description: "Which guard is breached, if any (judged once both sides have minCalls)" }),
});
export type CanaryComparison = z.infer<typeof CanaryComparisonSchema>;

export const CanarySchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    versionNumber: z.number().int(),
    stableVersionNumber: z.number().int(),
    percent: z.number().int(),
    maxCostIncreasePct: z.number().int(),
    maxErrorRateIncreasePts: z.number(),
    minCalls: z.number().int(),
    outcomeGuard: z
      .object({
        outcomeType: z.string(),
        maxCostPerSuccessIncreasePct: z.number().int(),
        minOutcomes: z.number().int(),
      })
      .nullable(),
    status: z.enum(["running", "promoted", "rolled_back", "aborted"]),
    reason: z.string(),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    endedReason: z.string().nullable(),
    comparison: CanaryComparisonSchema.nullable().meta({
      description: "Live for a running canary; the figures it ended on otherwise",
    }),
  })
  .meta({ id: "Canary" });
export type CanaryView = z.infer<typeof CanarySchema>;
