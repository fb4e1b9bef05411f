import { randomUUID } from "node:crypto";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { budgetAdmits, budgetOver } from "../budgets/admit";
import {
  type BudgetRow,
  coveringBudgets,
  ensurePeriodRow,
  type Reservation,
  releaseExpiredReservations,
} from "../budgets/period-usage";
import { periodEnd, periodStart } from "../budgets/periods";
import { notFound } from "../errors";
import { microsToUsd, usdToMicros } from "../money";
import { evaluatePermissions } from "../permissions/evaluate";
import { reasons } from "./reasons";
import { AuthorizeRequestSchema, type AuthorizeResponse, type DecisionCode } from "./schemas";

/** How long an unsettled reservation holds budget before it is released. */
export const reservationTtlMs = () => Number(process.env.RESERVATION_TTL_SECONDS ?? 300) * 1000;

type Outcome = {
  decision: "allow" | "deny" | "degrade";
  code: DecisionCode;
  reason: string;
  ruleId?: string;
  budgetId?: string;
  model?: string;
};

/**
 * Answers an agent's "may I?". Permission rules first (default deny, deny wins), then every budget covering the
 * agent for the current period. A cost estimate is reserved against each budget with a conditional UPDATE, so
 * concurrent calls cannot together pass a `block` budget: committed + reserved never exceeds its limit.
 * Every decision is recorded; denials and degradations are audited, in the same transaction.
 */
export async function authorizeAction(
  agentId: string,
  meta: RequestMeta,
  raw: unknown,
  now = new Date(),
): Promise<AuthorizeResponse> {
  const input = AuthorizeRequestSchema.parse(raw);
  const estimate = input.estimatedCostUsd === undefined ? null : usdToMicros(input.estimatedCostUsd);
  return inTransaction(async (tx) => {
    const agent = await tx.agent.findUnique({
      where: { id: agentId },
      include: { deployedVersion: { select: { model: true, fallbackModel: true } }, rules: true },
    });
    if (!agent) throw notFound("Agent");
    const requestedModel = input.model ?? agent.deployedVersion?.model;
    let outcome: Outcome;
    const reserved: Reservation[] = [];
    let tightest: { b: BudgetRow; remaining: bigint } | null = null;

    if (agent.status !== "active") {
      outcome = { decision: "deny", code: "agent_suspended", reason: reasons.inactive(agent) };
    } else {
      const verdict = evaluatePermissions(agent.rules, {
        action: input.action,
        resource: input.resource,
        estimatedMicros: estimate,
        at: now,
      });
      if (verdict.outcome === "deny") {
        outcome = { decision: "deny", code: verdict.code, reason: verdict.reason, ruleId: verdict.ruleId ?? undefined };
      } else {
        outcome = {
          decision: "allow",
          code: "allowed",
          reason: verdict.reason,
          ruleId: verdict.ruleId,
          model: requestedModel,
        };
        const amount = estimate ?? 0n;
        let swept = false;
        for (const b of await coveringBudgets(tx, agent)) {
          const start = periodStart(b.period, now, b.timeZone);
          // The check and the reservation are one statement: the row lock makes concurrent callers queue, and
          // each re-checks the condition against the committed value before reserving. (The condition is
          // budgetAdmits in ../budgets/admit.ts, which the simulator uses.)
          const reserve = async () => {
            if (amount === 0n) {
              // Nothing to reserve: a plain read decides, so calls without an estimate neither queue on nor
              // rewrite the budget's row (every agent's calls share the organisation budget's row).
              const rows = await tx.$queryRaw<{ spent: bigint; reserved: bigint }[]>`
                SELECT "spentMicros" AS spent, "reservedMicros" AS reserved FROM budget_period_usage WHERE "budgetId" = ${b.id} AND "periodStart" = ${start}::timestamp(3)`;
              return rows.filter((r) => budgetAdmits(b, r.spent, r.reserved, 0n));
            }
            return tx.$queryRaw<{ spent: bigint; reserved: bigint }[]>`
            UPDATE budget_period_usage SET "reservedMicros" = "reservedMicros" + ${amount}::bigint, "updatedAt" = now()
            WHERE "budgetId" = ${b.id} AND "periodStart" = ${start}::timestamp(3)
              AND ("spentMicros" + "reservedMicros" + ${amount}::bigint <= ${b.limitMicros}::bigint OR ${b.hardAction !== "block"})
              AND ("spentMicros" + "reservedMicros" < ${b.limitMicros}::bigint OR ${b.hardAction !== "block"})
            RETURNING "spentMicros" AS spent, "reservedMicros" AS reserved`;
          };
          let hit = await reserve();
          if (hit.length === 0) {
            // Off the hot path: the period's row may not exist yet, or expired reservations may be holding the
            // budget. Make the row, release what expired, and try once more.
            await ensurePeriodRow(tx, b, now);
            if (!swept) await releaseExpiredReservations(tx, now);
            swept = true;
            hit = await reserve();
          }
          if (hit.length === 0) {
            outcome = {
              decision: "deny",
              code: "budget_exhausted",
              reason: reasons.exhausted(b),
              ruleId: verdict.ruleId,
              budgetId: b.id,
            };
            tightest = { b, remaining: 0n };
            break;
          }
          if (amount > 0n) reserved.push({ budgetId: b.id, periodStart: start.toISOString() });
          const remaining = b.limitMicros - hit[0].spent - hit[0].reserved;
          if (!tightest || remaining < tightest.remaining) tightest = { b, remaining };
          const over = budgetOver(b.limitMicros, hit[0].spent, hit[0].reserved - amount, amount);
          if (over && b.hardAction === "degrade" && outcome.decision === "allow") {
            const fallback = agent.deployedVersion?.fallbackModel;
            outcome = fallback
              ? {
                  decision: "degrade",
                  code: "budget_degraded",
                  reason: reasons.degraded(b, fallback),
                  ruleId: verdict.ruleId,
                  budgetId: b.id,
                  model: fallback,
                }
              : {
                  decision: "deny",
                  code: "budget_exhausted",
                  reason: reasons.noFallback(b),
                  ruleId: verdict.ruleId,
                  budgetId: b.id,
                };
            if (!fallback) break;
          }
        }
        if (outcome.decision === "deny") {
          // Give back what this call reserved before it hit the exhausted budget.
          for (const r of reserved) {
            await tx.$executeRaw`UPDATE budget_period_usage SET "reservedMicros" = GREATEST("reservedMicros" - ${amount}::bigint, 0) WHERE "budgetId" = ${r.budgetId} AND "periodStart" = ${new Date(r.periodStart)}::timestamp(3)`;
          }
          reserved.length = 0;
        }
      }
    }

    const decisionId = randomUUID();
    await tx.decision.create({
      data: {
        id: decisionId,
        agentId,
        action: input.action,
        resource: input.resource,
        decision: outcome.decision,
        code: outcome.code,
        reason: outcome.reason,
        ruleId: outcome.ruleId ?? null,
        budgetId: outcome.budgetId ?? null,
        model: outcome.model ?? null,
        estimatedMicros: estimate,
        reservations: reserved.length ? reserved : undefined,
        reservationExpiresAt: reserved.length ? new Date(now.getTime() + reservationTtlMs()) : null,
        context: (input.context ?? undefined) as never,
        createdAt: now,
      },
    });
    if (outcome.decision !== "allow") {
      await writeAuditEvent(tx, { type: "agent", id: agent.id, label: agent.slug, teamId: agent.teamId }, meta, {
        action: outcome.decision === "deny" ? "decision.denied" : "decision.degraded",
        targetType: "decision",
        targetId: decisionId,
        agentId,
        teamId: agent.teamId,
        outcome: outcome.decision === "deny" ? "denied" : "degraded",
        after: {
          action: input.action,
          resource: input.resource,
          code: outcome.code,
          ruleId: outcome.ruleId ?? null,
          budgetId: outcome.budgetId ?? null,
          estimatedCostUsd: input.estimatedCostUsd ?? null,
          model: outcome.model ?? null,
          context: input.context ?? null,
        },
        reason: outcome.reason,
      });
    }
    return {
      decisionId,
      decision: outcome.decision,
      reason: outcome.reason,
      code: outcome.code,
      ...(outcome.ruleId ? { ruleId: outcome.ruleId } : {}),
      ...(outcome.budgetId ? { budgetId: outcome.budgetId } : {}),
      ...(outcome.model ? { model: outcome.model } : {}),
      ...(tightest
        ? {
            budget: {
              remainingUsd: microsToUsd(tightest.remaining > 0n ? tightest.remaining : 0n),
              period: tightest.b.period,
              resetsAt: periodEnd(tightest.b.period, now, tightest.b.timeZone).toISOString(),
            },
          }
        : {}),
    };
  });
}
