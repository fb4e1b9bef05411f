import { z } from "zod";

export const StartCanarySchema = z.object({
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
  reason: z.string().trim().max(1000).default(""),
});
export type StartCanaryInput = z.input<typeof StartCanarySchema>;
/** A canary's share and guard, as started or as carried by a four-eyes request. */
export type CanarySettings = Omit<z.output<typeof StartCanarySchema>, "versionNumber" | "reason">;
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
