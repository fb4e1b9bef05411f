import { z } from "zod";

export const PermissionRuleInputSchema = z.object({
  effect: z.enum(["allow", "deny"]),
  action: z.string().trim().min(1).max(64).regex(/^[a-z*][a-z0-9_:*.-]*$/, "e.g. tool:invoke, data:read, model:use"),
  resource: z.string().trim().min(1).max(256),
  maxCostPerCallUsd: z.number().min(0).optional().nullable(),
  allowedHours: z
    .object({
      from: z.string().regex(/^\d{2}:\d{2}$/),
      to: z.string().regex(/^\d{2}:\d{2}$/),
      timeZone: z.string().default("UTC"),
      days: z.array(z.number().int().min(0).max(6)).optional(),
    })
    .optional()
    .nullable(),
  requiresApproval: z.boolean().default(false),
  description: z.string().trim().max(500).default(""),
});
export type PermissionRuleInput = z.input<typeof PermissionRuleInputSchema>;
