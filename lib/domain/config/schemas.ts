import { z } from "zod";
import { ENVIRONMENTS, SlugSchema } from "../agents/schemas";
import { GateFailureBriefSchema, SuiteNameSchema } from "../evals/schemas";
import { PermissionRuleInputSchema } from "../permissions/schemas";
import { ModelPriceInputSchema } from "../pricing/schemas";
import { TeamInputSchema } from "../teams/schemas";
import { currentPasswordField } from "../users/schemas";
import { AgentConfigSchema } from "../versions/schemas";
import { WebhookDocFieldsSchema } from "../webhooks/schemas";

/**
 * The declarative configuration: one document describing what the console sets by hand, built from the console's
 * own input schemas (so a document is refused for exactly what a form would refuse). Objects are matched by slug
 * or name, never by id, so a document moves between installations. A section left out is not managed: nothing in
 * it is created, changed or deleted. A section given is the whole truth for what it holds.
 */
const TeamDocSchema = TeamInputSchema.strict();

const RuleDocSchema = PermissionRuleInputSchema.extend({
  mode: PermissionRuleInputSchema.shape.mode.meta({
    description: "shadow: recorded as what it would have decided, never enforced. Left out: enforce",
  }),
}).strict();

const AgentDocSchema = z
  .object({
    slug: SlugSchema,
    name: z.string().trim().min(1, "required").max(100),
    description: z.string().trim().max(2000).default(""),
    team: z.string().trim().min(1).meta({ description: "The team's slug" }),
    environment: z.enum(ENVIRONMENTS),
    owner: z
      .email()
      .nullable()
      .optional()
      .meta({ description: "The owner's email (a person of this installation), or null; left out: not managed" }),
    catalogToolsOnly: z.boolean().default(false),
    config: AgentConfigSchema.strict().optional().meta({
      description:
        "The configuration that should be live: an identical existing version is deployed, otherwise a new version is created and deployed. Left out: versions are not managed.",
    }),
    permissions: z
      .array(RuleDocSchema)
      .max(200)
      .optional()
      .meta({ description: "The agent's rules in evaluation order. Left out: its rules are not managed." }),
  })
  .strict();

const BudgetDocSchema = z
  .object({
    name: z.string().trim().min(1).max(100).meta({ description: "Budgets are matched by name: names are unique" }),
    scope: z.enum(["agent", "team", "org"]),
    agent: z.string().trim().min(1).optional().meta({ description: "The agent's slug (scope agent)" }),
    team: z.string().trim().min(1).optional().meta({ description: "The team's slug (scope team)" }),
    period: z.enum(["day", "week", "month"]),
    limitUsd: z.number().positive().max(10_000_000),
    thresholds: z.array(z.number().int().min(1).max(1000)).max(10).default([50, 80, 100]),
    hardAction: z.enum(["block", "degrade", "notify"]).default("block"),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.scope === "agent" && !b.agent) ctx.addIssue({ code: "custom", path: ["agent"], message: "required" });
    if (b.scope === "team" && !b.team) ctx.addIssue({ code: "custom", path: ["team"], message: "required" });
    if (b.scope !== "agent" && b.agent)
      ctx.addIssue({ code: "custom", path: ["agent"], message: "only for scope agent" });
    if (b.scope !== "team" && b.team) ctx.addIssue({ code: "custom", path: ["team"], message: "only for scope team" });
  });

const EnvironmentDocSchema = z
  .object({
    requireApproval: z.boolean().meta({ description: "Four-eyes: deployments here wait for a second admin" }),
    requiredSuites: z.array(SuiteNameSchema).max(20).optional().meta({
      description: "Eval suites a version must have passed before it is deployed here; left out: not managed",
    }),
    maxCostPerPassedCaseUsd: z.number().min(0.000001).max(1000).nullable().optional().meta({
      description:
        "The most each required suite's run may cost per passed case; null: no limit; left out: not managed (raising or removing it waits for a second admin)",
    }),
    minScores: z.record(SuiteNameSchema, z.number().finite()).optional().meta({
      description:
        "Suite → the score its run must reach here, whatever threshold the run sent; only required suites; left out: not managed (lowering or removing one waits for a second admin)",
    }),
  })
  .strict()
  .superRefine((e, ctx) => {
    for (const suite of Object.keys(e.minScores ?? {}))
      if (e.requiredSuites && !e.requiredSuites.includes(suite))
        ctx.addIssue({ code: "custom", path: ["minScores", suite], message: "not among requiredSuites" });
  });

const ModelPriceDocSchema = ModelPriceInputSchema.omit({ effectiveFrom: true }).strict();

const WebhookDocSchema = WebhookDocFieldsSchema.strict();

/** Names must be unique within a list (they are how objects are matched). */
function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate ${what} "${k}"` });
      seen.add(k);
    });
  };
}

export const ConfigDocumentSchema = z
  .object({
    version: z.literal(1).meta({ description: "The document format (1)" }),
    teams: z
      .array(TeamDocSchema)
      .max(1000)
      .superRefine(uniqueBy((t) => t.slug, "team"))
      .optional(),
    agents: z
      .array(AgentDocSchema)
      .max(5000)
      .superRefine(uniqueBy((a) => a.slug, "agent"))
      .optional(),
    budgets: z
      .array(BudgetDocSchema)
      .max(5000)
      .superRefine(uniqueBy((b) => b.name, "budget"))
      .optional(),
    environments: z
      .object({ dev: EnvironmentDocSchema, staging: EnvironmentDocSchema, prod: EnvironmentDocSchema })
      .partial()
      .strict()
      .optional(),
    modelPrices: z
      .array(ModelPriceDocSchema)
      .max(1000)
      .superRefine(uniqueBy((p) => `${p.provider}/${p.model}`, "price"))
      .optional()
      .meta({ description: "Prices in force; a price left out is kept (prices are history, never deleted)" }),
    webhooks: z
      .array(WebhookDocSchema)
      .max(100)
      .superRefine(uniqueBy((w) => w.name, "webhook"))
      .optional()
      .meta({ description: "Webhook endpoints (never their secrets: a new endpoint's secret is in the apply answer)" }),
  })
  .strict()
  .meta({ id: "ConfigDocument", title: "Agent Control Plane configuration" });

export type ConfigDocument = z.output<typeof ConfigDocumentSchema>;
export type AgentDoc = z.output<typeof AgentDocSchema>;
export type BudgetDoc = z.output<typeof BudgetDocSchema>;
export type RuleDoc = z.output<typeof RuleDocSchema>;

export const CONFIG_KINDS = [
  "team",
  "environment",
  "modelPrice",
  "agent",
  "agentConfig",
  "rule",
  "budget",
  "webhook",
] as const;

export const ConfigChangeSchema = z
  .object({
    kind: z.enum(CONFIG_KINDS),
    key: z.string().meta({ description: "The object: slug, name, environment, provider/model, or agent#position" }),
    op: z.enum(["create", "update", "delete", "replace"]),
    fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  })
  .meta({ id: "ConfigChange" });
export type ConfigChange = z.output<typeof ConfigChangeSchema>;

const WaitingSchema = z.object({
  key: z.string().meta({ description: "The agent's slug" }),
  waitingFor: z.enum(["approval", "evals"]),
  versionNumber: z.number().int(),
  requestId: z.string().nullable().meta({ description: "The change request, when it waits for a second admin" }),
  gateFailures: z
    .array(GateFailureBriefSchema)
    .optional()
    .meta({ description: "When it waits for evals: the required suites it does not satisfy yet" }),
});

export const ConfigPlanSchema = z
  .object({
    planHash: z.string().meta({ description: "Give it to apply: apply refuses (409) if the live state moved since" }),
    changes: z.array(ConfigChangeSchema),
    summary: z.object({ create: z.number().int(), update: z.number().int(), delete: z.number().int() }),
    waiting: z.array(WaitingSchema).meta({
      description:
        "Agents whose config in the document is already a version waiting to go live: for a second admin (four-eyes), or for the eval suites its environment requires. Not changed again; once it is live (or rejected) plans compare as usual",
    }),
    impact: z
      .array(
        z.object({
          kind: z.enum(["rules", "budget"]),
          key: z.string().meta({ description: "The agent's slug (its rules) or the budget's name" }),
          op: z.string().meta({ description: "update (rules); create, update or archive (a budget)" }),
          decisions: z.number().int(),
          changed: z.number().int(),
          changedUsageMicros: z.number(),
          transitions: z.array(
            z.object({ from: z.string(), to: z.string(), calls: z.number().int(), usageMicros: z.number() }),
          ),
        }),
      )
      .meta({
        description:
          "What the rule and budget changes would have done to the last 7 days of recorded calls (replays; see POST …/permissions/replay and POST /api/v1/budgets/replay)",
      }),
  })
  .meta({ id: "ConfigPlan" });

/** `document`: the YAML or JSON text of a configuration, or the document itself. */
export const ConfigPlanInputSchema = z
  .object({ document: z.union([z.string().max(900_000), z.record(z.string(), z.unknown())]) })
  .strict();
export const ConfigApplyInputSchema = ConfigPlanInputSchema.extend({
  planHash: z.string().regex(/^[0-9a-f]{64}$/, "the planHash a plan answered"),
  currentPassword: currentPasswordField,
}).strict();

export const ConfigApplyResultSchema = z
  .object({
    planHash: z.string(),
    applied: z.number().int(),
    auditPosition: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The config.applied event's position in the audit trail" }),
    pending: z
      .array(z.object({ key: z.string(), requestId: z.string() }))
      .meta({ description: "Changes that wait for a second admin (four-eyes): the change requests opened" }),
    waitingForEvals: z
      .array(
        z.object({ key: z.string(), versionNumber: z.number().int(), gateFailures: z.array(GateFailureBriefSchema) }),
      )
      .meta({
        description:
          "Agents registered into an environment that requires eval suites: their version 1 is not live until its runs pass (later plans list it as waiting)",
      }),
    webhookSecrets: z
      .array(z.object({ name: z.string(), secret: z.string() }))
      .meta({ description: "Signing secrets of the webhook endpoints created, shown only here" }),
  })
  .meta({ id: "ConfigApplyResult" });
