import { z } from "zod";

export const AuthorizeRequestSchema = z.object({
  action: z.string().trim().min(1).max(128),
  resource: z.string().trim().min(1).max(512),
  estimatedCostUsd: z.number().min(0).max(1_000_000).optional(),
  model: z.string().trim().min(1).max(128).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
export type AuthorizeRequest = z.input<typeof AuthorizeRequestSchema>;

/** What the console's simulator asks: an authorize request at a chosen time (default now). */
export const SimulateRequestSchema = AuthorizeRequestSchema.pick({
  action: true,
  resource: true,
  estimatedCostUsd: true,
  model: true,
}).extend({
  at: z.coerce.date().optional(),
});
export type SimulateRequest = z.input<typeof SimulateRequestSchema>;

export const DECISION_CODES = [
  "allowed",
  "rule_denied",
  "no_matching_rule",
  "approval_required",
  "budget_exhausted",
  "budget_degraded",
  "agent_suspended",
] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

export type AuthorizeResponse = {
  decisionId: string;
  decision: "allow" | "deny" | "degrade";
  reason: string;
  code: DecisionCode;
  ruleId?: string;
  budgetId?: string;
  model?: string;
  budget?: { remainingUsd: number; period: string; resetsAt: string };
};
