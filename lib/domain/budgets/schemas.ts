import { z } from "zod";

export const BudgetInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scope: z.enum(["agent", "team", "org"]),
    agentId: z.string().optional().nullable(),
    teamId: z.string().optional().nullable(),
    period: z.enum(["day", "week", "month"]),
    limitUsd: z.number().positive().max(10_000_000),
    thresholds: z.array(z.number().int().min(1).max(1000)).max(10).default([50, 80, 100]),
    hardAction: z.enum(["block", "degrade", "notify"]).default("block"),
  })
  .superRefine((b, ctx) => {
    if (b.scope === "agent" && !b.agentId) ctx.addIssue({ code: "custom", path: ["agentId"], message: "an agent budget needs an agent" });
    if (b.scope === "team" && !b.teamId) ctx.addIssue({ code: "custom", path: ["teamId"], message: "a team budget needs a team" });
  });
export type BudgetInput = z.input<typeof BudgetInputSchema>;
