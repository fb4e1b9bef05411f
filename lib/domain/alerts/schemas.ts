import { z } from "zod";

/** A budget threshold alert as listed (money in micro-dollars), with its budget and whether the reader saw it. */
export const BudgetAlertSchema = z
  .object({
    id: z.string(),
    budgetId: z.string(),
    periodStart: z.iso.datetime(),
    threshold: z.number().int(),
    spentMicros: z.number(),
    limitMicros: z.number(),
    message: z.string(),
    createdAt: z.iso.datetime(),
    budget: z.object({ id: z.string(), name: z.string(), scope: z.enum(["agent", "team", "org"]) }),
    unread: z.boolean(),
  })
  .meta({ id: "BudgetAlert" });
