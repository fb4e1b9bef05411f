import { z } from "zod";

export const CHANGE_KINDS = ["deployment", "environment_policy", "agent_environment", "user_role"] as const;

export const ChangeRequestQuerySchema = z.object({
  status: z.enum(["pending", "approved", "rejected"]).default("pending"),
  change: z.enum(CHANGE_KINDS).optional(),
});
