import type { z } from "zod";
import { Prisma } from "@/lib/db/generated/client";
import { usdToMicros } from "../money";
import type { PermissionRuleInputSchema } from "./schemas";

/**
 * The stored columns for a validated rule input (money in micro-dollars; no time window stored as SQL NULL). Without a
 * mode the column is left alone: enforce for a new rule, unchanged for an edited one.
 */
export function ruleColumns(input: z.output<typeof PermissionRuleInputSchema>) {
  return {
    effect: input.effect,
    ...(input.mode ? { mode: input.mode } : {}),
    action: input.action,
    resource: input.resource,
    maxCostMicros: input.maxCostPerCallUsd == null ? null : usdToMicros(input.maxCostPerCallUsd),
    allowedHours: input.allowedHours ?? Prisma.DbNull,
    requiresApproval: input.requiresApproval,
    approvalTimeoutMinutes: input.approvalTimeoutMinutes,
    toolAnnotation: input.toolAnnotation ?? null,
    classification: input.classification ?? null,
    description: input.description,
  };
}
