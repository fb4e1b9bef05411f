import { z } from "zod";

export const UsageEventSchema = z
  .object({
    id: z.string().trim().min(1).max(200),
    timestamp: z.iso.datetime({ offset: true }),
    model: z.string().trim().min(1).max(128),
    provider: z.string().trim().max(64).optional().nullable(),
    inputTokens: z.number().int().min(0).max(100_000_000),
    cachedInputTokens: z.number().int().min(0).max(100_000_000).optional(),
    outputTokens: z.number().int().min(0).max(100_000_000),
    costUsd: z.number().min(0).max(1_000_000).optional().nullable().meta({
      description:
        "The provider-reported cost. Charged when the model has no price, or when it is at least the price list's; under it, the computed cost is charged. $0 for tokens of a model with no price is unpriced usage.",
    }),
    tool: z.string().trim().max(128).optional().nullable(),
    latencyMs: z.number().int().min(0).max(86_400_000).optional().nullable(),
    status: z.enum(["ok", "error"]).default("ok"),
    decisionId: z.string().max(64).optional().nullable(),
    version: z.number().int().positive().max(1_000_000).optional().nullable().meta({
      description: "The agent version number the call ran on (the config's version.number); canaries compare by it",
    }),
    taskId: z.string().trim().min(1).max(200).optional().nullable().meta({
      description: "The task the call worked on: outcomes reported for the same task make its cost per outcome exact",
    }),
  })
  .refine((e) => (e.cachedInputTokens ?? 0) <= e.inputTokens, {
    path: ["cachedInputTokens"],
    message: "cannot exceed inputTokens (which includes cached tokens)",
  });

export const UsageBatchSchema = z.object({ events: z.array(UsageEventSchema).min(1).max(1000) });
export type UsageBatch = z.input<typeof UsageBatchSchema>;
export type UsageEventInput = z.input<typeof UsageEventSchema>;

export const UsageResponseSchema = z
  .object({ accepted: z.number().int(), duplicates: z.number().int(), unpriced: z.number().int(), costUsd: z.number() })
  .meta({ id: "UsageResponse" });
