import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { budgetAdmits, budgetOver } from "../budgets/admit";
import { coveringBudgets, readPeriodUsage } from "../budgets/ledger";
import { usdToMicros } from "../money";
import { evaluatePermissions, type RuleTrace } from "../permissions/evaluate";
import { classifier } from "../resources/catalogue";
import { toolGate } from "../tools/gate";
import { reasons } from "./reasons";
import { type DecisionCode, SimulateRequestSchema } from "./schemas";

export type BudgetCheck = {
  budgetId: string;
  name: string;
  scope: string;
  period: string;
  hardAction: string;
  limitMicros: bigint;
  spentMicros: bigint;
  reservedMicros: bigint;
  resetsAt: Date;
  verdict: "admits" | "exhausted" | "degrades" | "over (notify only)" | "not checked";
};

export type Simulation = {
  decision: "allow" | "deny" | "degrade" | "pending";
  code: DecisionCode;
  reason: string;
  ruleId: string | null;
  budgetId: string | null;
  model: string | null;
  at: Date;
  rules: RuleTrace[];
  budgets: BudgetCheck[];
};

/**
 * What `POST /runtime/authorize` would answer for this agent, without writing anything: the same permission
 * evaluator, then the same budget arithmetic (budgetAdmits/budgetOver) against the current period's spend and
 * reservations. Unlike the runtime it does not reserve, record the decision or audit it.
 */
export async function simulateDecision(actor: Actor, agentIdOrSlug: string, raw: unknown): Promise<Simulation> {
  const input = SimulateRequestSchema.parse(raw);
  const agent = await getAgent(actor, agentIdOrSlug);
  const at = input.at ?? new Date();
  const amount = input.estimatedCostUsd == null ? null : usdToMicros(input.estimatedCostUsd);
  const [rules, budgets, tool] = await Promise.all([
    db().permissionRule.findMany({ where: { agentId: agent.id } }),
    coveringBudgets(db(), agent),
    toolGate(db(), agent, input.resource),
  ]);
  const classify = await classifier(rules);
  const verdict = evaluatePermissions(rules, {
    action: input.action,
    resource: input.resource,
    estimatedMicros: amount,
    at,
    tool: tool.hints,
    ...classify(input.resource),
  });
  const checks: BudgetCheck[] = [];
  for (const b of budgets) {
    const u = await readPeriodUsage(db(), b, at);
    checks.push({
      budgetId: b.id,
      name: b.name,
      scope: b.scope,
      period: b.period,
      hardAction: b.hardAction,
      limitMicros: b.limitMicros,
      ...u,
      verdict: "not checked",
    });
  }
  const base = { at, rules: verdict.trace, budgets: checks };

  if (agent.status !== "active") {
    return {
      ...base,
      decision: "deny",
      code: "agent_suspended",
      reason: reasons.inactive(agent),
      ruleId: null,
      budgetId: null,
      model: null,
    };
  }
  if (tool.refused) return { ...base, decision: "deny", ...tool.refused, ruleId: null, budgetId: null, model: null };
  if (verdict.outcome === "deny" && verdict.code !== "approval_required")
    return {
      ...base,
      decision: "deny",
      code: verdict.code,
      reason: verdict.reason,
      ruleId: verdict.ruleId,
      budgetId: null,
      model: null,
    };

  // A rule that asks for approval: the agent gets an approval id and waits; budgets are checked when it redeems.
  if (verdict.outcome === "deny") {
    const rule = rules.find((r) => r.id === verdict.ruleId)!;
    return {
      ...base,
      decision: "pending",
      code: "approval_required",
      reason: reasons.pending(rule),
      ruleId: verdict.ruleId,
      budgetId: null,
      model: null,
    };
  }
  let result: Simulation = {
    ...base,
    decision: "allow",
    code: "allowed",
    reason: verdict.reason,
    ruleId: verdict.ruleId,
    budgetId: null,
    model: input.model ?? agent.deployedVersion?.model ?? null,
  };
  for (const c of checks) {
    const b = budgets.find((x) => x.id === c.budgetId)!;
    if (!budgetAdmits(b, c.spentMicros, c.reservedMicros, amount ?? 0n)) {
      c.verdict = "exhausted";
      return {
        ...result,
        decision: "deny",
        code: "budget_exhausted",
        reason: reasons.exhausted(b),
        budgetId: b.id,
        model: null,
      };
    }
    const over = budgetOver(b.limitMicros, c.spentMicros, c.reservedMicros, amount ?? 0n);
    c.verdict = !over ? "admits" : b.hardAction === "degrade" ? "degrades" : "over (notify only)";
    if (over && b.hardAction === "degrade" && result.decision === "allow") {
      const fallback = agent.deployedVersion?.fallbackModel;
      if (!fallback)
        return {
          ...result,
          decision: "deny",
          code: "budget_exhausted",
          reason: reasons.noFallback(b),
          budgetId: b.id,
          model: null,
        };
      result = {
        ...result,
        decision: "degrade",
        code: "budget_degraded",
        reason: reasons.degraded(b, fallback),
        budgetId: b.id,
        model: fallback,
      };
    }
  }
  return result;
}
