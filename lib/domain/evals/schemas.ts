import { z } from "zod";
import { ENVIRONMENTS } from "../agents/schemas";
import { rangeDate } from "../spend/schemas";
import { FUTURE_SKEW_MS } from "../usage/timestamp-window";

const suiteName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "lower-case letters, digits, _ . - (e.g. safety, regression)");

export const EvalCaseSchema = z.object({
  caseId: z.string().trim().min(1).max(200),
  passed: z.boolean(),
  score: z.number().finite().optional().nullable(),
  costUsd: z.number().min(0).max(1_000_000).optional().nullable(),
  latencyMs: z.number().int().min(0).max(86_400_000).optional().nullable(),
});

export const EvalRunInputSchema = z
  .object({
    runId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ description: "Client-chosen id: posting the same run again is a no-op" }),
    suite: suiteName,
    ranAt: rangeDate.meta({
      description: "When the run ran; at most 5 minutes ahead of the server clock (the latest run decides a gate)",
    }),
    score: z.number().finite(),
    threshold: z.number().finite().meta({ description: "The run passes when score ≥ threshold" }),
    logUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .nullable(),
    cases: z.array(EvalCaseSchema).max(10_000).default([]),
  })
  .superRefine((r, ctx) => {
    // A run dated in the future would stay the latest, deciding the gate whatever honest runs report after it.
    if (r.ranAt.getTime() > Date.now() + FUTURE_SKEW_MS)
      ctx.addIssue({ code: "custom", path: ["ranAt"], message: "is more than 5 minutes in the future" });
    const seen = new Set<string>();
    r.cases.forEach((c, i) => {
      if (seen.has(c.caseId))
        ctx.addIssue({ code: "custom", path: ["cases", i, "caseId"], message: `duplicate case id "${c.caseId}"` });
      seen.add(c.caseId);
    });
  });
export type EvalRunInput = z.input<typeof EvalRunInputSchema>;

export const RequiredSuitesSchema = z.object({
  environment: z.enum(ENVIRONMENTS),
  suites: z.array(suiteName).max(20),
  maxCostPerPassedCaseUsd: z.number().min(0.000001).max(1000).nullable().optional().meta({
    description:
      "Each required suite's run must also cost at most this per passed case (its cases' cost over those passed); null removes the limit; left out: unchanged",
  }),
  minScores: z.record(suiteName, z.number().finite()).optional().meta({
    description:
      "Suite → the score its run must reach here, whatever threshold the run itself sent (whoever records runs sets that: admins, and team leads for their agents). Only required suites; a suite left out has no minimum; left out: unchanged for the suites still required",
  }),
  reason: z.string().trim().max(1000).optional().meta({
    description:
      "Why; dropping a suite, lowering or removing a minimum score, raising or removing the cost limit waits for a second admin's approval (202)",
  }),
});
export const EnvironmentPolicyInputSchema = z.object({
  environment: z.enum(ENVIRONMENTS),
  requireApproval: z.boolean(),
  reason: z
    .string()
    .trim()
    .max(1000)
    .default("")
    .meta({ description: "Why; turning approval off waits for a second admin's approval (202)" }),
});

export type EnvironmentPolicyInput = z.input<typeof EnvironmentPolicyInputSchema>;
export type RequiredSuitesInput = z.input<typeof RequiredSuitesSchema>;
export { suiteName as SuiteNameSchema };

/** An eval run as stored (cost in micro-dollars). */
export const EvalRunSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    versionId: z.string(),
    runId: z.string(),
    suite: z.string(),
    ranAt: z.iso.datetime(),
    score: z.number(),
    threshold: z.number(),
    passed: z.boolean(),
    logUrl: z.string().nullable(),
    caseCount: z.number().int(),
    passedCases: z.number().int(),
    costMicros: z.number().nullable(),
    createdById: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "EvalRun" });

const perEnvironment = <T extends z.ZodType>(value: T) => z.object({ dev: value, staging: value, prod: value });
export const DeploymentGatesSchema = perEnvironment(z.array(z.string())).meta({
  id: "DeploymentGates",
  description: "Per environment, the eval suites a version must have passed to be deployed there",
});
export const RequiredSuitesResultSchema = z
  .object({
    environment: z.enum(ENVIRONMENTS),
    requiredSuites: z.array(z.string()),
    maxCostPerPassedCaseUsd: z.number().nullable(),
    minScores: z
      .record(z.string(), z.number())
      .meta({ description: "Suite → the score its run must reach here (above the run's own threshold)" }),
  })
  .meta({ id: "RequiredSuites", description: "One environment's deployment gate" });
export const EnvironmentPoliciesSchema = perEnvironment(z.boolean()).meta({
  id: "EnvironmentPolicies",
  description: "Per environment, whether a deployment there needs a second admin's approval",
});
export const EnvironmentPolicySchema = z
  .object({ environment: z.enum(ENVIRONMENTS), requireApproval: z.boolean() })
  .meta({ id: "EnvironmentPolicy" });

/** A required suite a version does not satisfy, as answers name it (the details are on the version's page). */
export const GateFailureBriefSchema = z.object({
  suite: z.string(),
  status: z.enum(["missing", "failing", "over_cost", "no_cost"]),
});

/** A suite's minimum score, if it has one (its own key only: a suite may be named `constructor`). */
export const minScoreOf = (scores: Record<string, number>, suite: string): number | undefined =>
  Object.hasOwn(scores, suite) ? scores[suite] : undefined;

/** Required suites as the console writes them, each with its minimum score if it has one: `safety ≥ 0.9, regression`. */
export const suitesText = (suites: string[], minScores: Record<string, number> = {}) =>
  suites
    .map((s) => {
      const min = minScoreOf(minScores, s);
      return min === undefined ? s : `${s} ≥ ${min}`;
    })
    .join(", ");

/** The console's `safety ≥ 0.9, regression` (or `>=`; commas or spaces between) as suites and minimum scores. */
export function parseSuitesText(text: string): { suites: string[]; minScores: Record<string, number> } {
  const suites: string[] = [];
  const minScores: Record<string, number> = {};
  for (const item of text
    .replace(/\s*(≥|>=)\s*/g, ">=")
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const [suite, min] = item.split(">=");
    suites.push(suite);
    // Not a number: kept as it is, so the suite's name is refused with it.
    if (min !== undefined) {
      if (min !== "" && Number.isFinite(Number(min))) minScores[suite] = Number(min);
      else suites[suites.length - 1] = item;
    }
  }
  return { suites, minScores };
}
