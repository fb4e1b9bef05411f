import { z } from "zod";
import { AGENT_STATUSES, ENVIRONMENTS } from "@/lib/domain/agents/schemas";
import type { AgentBudgetStatus } from "@/lib/domain/budgets/queries";
import { BUDGET_STATUSES } from "@/lib/domain/budgets/status";
import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { GateFailureBriefSchema } from "@/lib/domain/evals/schemas";
import { microsToUsd } from "@/lib/domain/money";

type AgentLike = {
  id: string;
  slug: string;
  name: string;
  description: string;
  teamId: string;
  environment: string;
  status: string;
  ownerId: string | null;
  catalogToolsOnly: boolean;
  lastActivityAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deployedVersion?: { number: number } | null;
  pendingChange?: { status: string; requestId: string };
  gateFailures?: { suite: string; status: string }[];
  spendThisMonthMicros?: bigint;
  budgetStatus?: AgentBudgetStatus | null;
};

/** The tightest budget covering the agent this period, in the API's units. */
export function budgetStatusView(s: AgentBudgetStatus) {
  return {
    status: s.status,
    percentUsed: s.percentUsed,
    budget: { id: s.budgetId, name: s.budgetName, scope: s.scope, period: s.period },
    spentUsd: microsToUsd(s.spentMicros),
    limitUsd: microsToUsd(s.limitMicros),
  };
}

/** The API's agent shape: stable field names, money in USD. */
export function agentView(a: AgentLike) {
  return {
    id: a.id,
    slug: a.slug,
    name: a.name,
    description: a.description,
    teamId: a.teamId,
    environment: a.environment,
    status: a.status,
    ownerId: a.ownerId,
    catalogToolsOnly: a.catalogToolsOnly,
    deployedVersion: a.deployedVersion?.number ?? null,
    ...(a.spendThisMonthMicros !== undefined ? { spendThisMonthUsd: microsToUsd(a.spendThisMonthMicros) } : {}),
    ...(a.budgetStatus !== undefined ? { budgetStatus: a.budgetStatus ? budgetStatusView(a.budgetStatus) : null } : {}),
    lastActivityAt: a.lastActivityAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    // Set when part of the change waits for a second admin (four-eyes): the change request's id.
    ...(a.pendingChange ? { pendingChange: a.pendingChange } : {}),
    // Set at a registration whose version 1 waits for the environment's required eval suites.
    ...(a.gateFailures ? { gateFailures: a.gateFailures.map(({ suite, status }) => ({ suite, status })) } : {}),
  };
}

/** The response shape of `agentView`. */
export const AgentSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    teamId: z.string(),
    environment: z.enum(ENVIRONMENTS),
    status: z.enum(AGENT_STATUSES),
    ownerId: z.string().nullable(),
    catalogToolsOnly: z.boolean().meta({ description: "Limited to catalogued MCP tools" }),
    deployedVersion: z.number().int().nullable(),
    spendThisMonthUsd: z.number().optional(),
    budgetStatus: z
      .object({
        status: z.enum(BUDGET_STATUSES),
        percentUsed: z.number(),
        budget: z.object({
          id: z.string(),
          name: z.string(),
          scope: z.enum(["agent", "team", "org"]),
          period: z.enum(["day", "week", "month"]),
        }),
        spentUsd: z.number(),
        limitUsd: z.number(),
      })
      .nullable()
      .optional()
      .meta({
        description:
          "The tightest live budget covering the agent this period (its own, its team's or the organisation's): " +
          "over from 100 % spent, near from 80 %; null when none covers it. In lists and single reads.",
      }),
    lastActivityAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    pendingChange: PendingChangeSchema.optional(),
    gateFailures: z
      .array(GateFailureBriefSchema)
      .optional()
      .meta({
        description:
          "At registration into an environment that requires eval suites: version 1 is not deployed. Record its " +
          "eval runs, then deploy it (or deploy it overriding the gates, with a reason).",
      }),
  })
  .meta({ id: "Agent" });

/** Path parameter descriptions of the routes under /api/v1/agents/{id}. */
export const AGENT_PARAM = { id: "Agent id or slug" };
export const KEY_PARAMS = { ...AGENT_PARAM, keyId: "Key id" };
export const RULE_PARAMS = { ...AGENT_PARAM, ruleId: "Rule id" };
