import { z } from "zod";
import { ArgumentsDigestSchema } from "../approvals/schemas";
import { rangeDate } from "../spend/schemas";

/** A call's context is recorded with its decision (and in the audit trail when denied): kept small. */
export const CONTEXT_MAX = 8 * 1024;
export const contextWithinLimit = (c: unknown) => new TextEncoder().encode(JSON.stringify(c)).length <= CONTEXT_MAX;
export const contextTooLarge = `at most ${CONTEXT_MAX / 1024} KiB of context (as JSON, in UTF-8)`;

export const AuthorizeRequestSchema = z.object({
  action: z.string().trim().min(1).max(128),
  resource: z.string().trim().min(1).max(512),
  estimatedCostUsd: z.number().min(0).max(1_000_000).optional(),
  model: z.string().trim().min(1).max(128).optional(),
  context: z
    .record(z.string(), z.unknown())
    .refine(contextWithinLimit, { error: contextTooLarge })
    .optional()
    .meta({ description: "Recorded with the decision (and in the audit trail when denied): at most 8 KiB as JSON." }),
  onBehalfOf: z.string().trim().min(1).max(256).optional().meta({
    description:
      "The person or end user the agent acts for (or context.onBehalfOf, a string): kept in the lineage, so a person's page shows what agents did for them.",
  }),
  version: z.number().int().positive().max(1_000_000).optional().meta({
    description:
      "The version number the agent runs (the config's version.number): recorded when it is the running canary's, else the deployed version is.",
  }),
  argumentsDigest: ArgumentsDigestSchema.optional(),
  approvalId: z.uuid().optional().meta({
    description:
      "Redeems an approved approval for this call (same action, resource and argumentsDigest, estimate no higher): once.",
  }),
});
export type AuthorizeRequest = z.input<typeof AuthorizeRequestSchema>;

/** What the console's simulator asks: an authorize request at a chosen time (default now). */
export const SimulateRequestSchema = AuthorizeRequestSchema.pick({
  action: true,
  resource: true,
  estimatedCostUsd: true,
  model: true,
}).extend({
  at: rangeDate.optional(),
});
export type SimulateRequest = z.input<typeof SimulateRequestSchema>;

export const DECISION_CODES = [
  "allowed",
  "rule_denied",
  "no_matching_rule",
  "approval_required",
  "approval_denied",
  "approval_expired",
  "approval_invalid",
  "approvals_pending_limit",
  "tool_held",
  "tool_rejected",
  "tool_not_catalogued",
  "budget_exhausted",
  "budget_degraded",
  "agent_suspended",
] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

export type AuthorizeResponse = {
  decisionId: string;
  decision: "allow" | "deny" | "degrade" | "pending";
  approvalId?: string;
  approvalExpiresAt?: string;
  reason: string;
  code: DecisionCode;
  ruleId?: string;
  budgetId?: string;
  model?: string;
  budget?: { remainingUsd: number; period: string; resetsAt: string };
};

export const AuthorizeResponseSchema = z
  .object({
    decisionId: z.string(),
    decision: z.enum(["allow", "deny", "degrade", "pending"]).meta({
      description:
        "pending (answered 201): a rule requires a person's approval; wait for `approvalId`, then authorize again with it.",
    }),
    approvalId: z.string().optional(),
    approvalExpiresAt: z.iso.datetime().optional().meta({ description: "When the pending approval expires undecided" }),
    reason: z.string(),
    code: z.enum(DECISION_CODES),
    ruleId: z.string().optional(),
    budgetId: z.string().optional(),
    model: z.string().optional().meta({ description: "The model to use: the fallback model when degraded." }),
    budget: z
      .object({ remainingUsd: z.number(), period: z.enum(["day", "week", "month"]), resetsAt: z.iso.datetime() })
      .optional(),
  })
  .meta({ id: "AuthorizeResponse" });

/** The response shape of `simulateDecision`: the decision, and why each rule and budget did or did not decide. */
export const SimulationSchema = z
  .object({
    decision: z.enum(["allow", "deny", "degrade", "pending"]),
    code: z.enum(DECISION_CODES),
    reason: z.string(),
    ruleId: z.string().nullable(),
    budgetId: z.string().nullable(),
    model: z.string().nullable(),
    at: z.iso.datetime(),
    rules: z.array(
      z.object({
        ruleId: z.string(),
        position: z.number().int(),
        effect: z.enum(["allow", "deny"]),
        matched: z.boolean(),
        why: z.string(),
      }),
    ),
    budgets: z.array(
      z.object({
        budgetId: z.string(),
        name: z.string(),
        scope: z.string(),
        period: z.string(),
        hardAction: z.string(),
        limitMicros: z.union([z.number(), z.string()]),
        spentMicros: z.union([z.number(), z.string()]),
        reservedMicros: z.union([z.number(), z.string()]),
        resetsAt: z.iso.datetime(),
        verdict: z.enum(["admits", "exhausted", "degrades", "over (notify only)", "not checked"]),
      }),
    ),
  })
  .meta({ id: "Simulation" });
