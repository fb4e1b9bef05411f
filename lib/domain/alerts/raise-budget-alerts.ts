import "server-only";
import { fullTx, type SqlTx } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import type { BudgetRow } from "../budgets/ledger";
import { periodStart as currentPeriodStart } from "../budgets/periods";
import { microsToUsd } from "../money";
import { enqueueWebhookEvent } from "../webhooks/enqueue-webhook-event";
import { crossedThresholds } from "./thresholds";

const PERIOD_ADJECTIVE = { day: "daily", week: "weekly", month: "monthly" } as const;

export type SpendStep = { budget: BudgetRow; periodStart: Date; before: bigint; after: bigint };

/**
 * Turns spend steps into alerts: once per (budget, period, threshold), enforced by a unique key so concurrent
 * batches cannot alert twice. Each new alert is audited and queued for every webhook endpoint, in the same
 * transaction as the spend that crossed it. Late usage for a period that has already ended counts toward that
 * period's spend but does not alert: alerts are about the running period.
 */
export async function raiseBudgetAlerts(
  lean: SqlTx,
  actor: Actor,
  meta: RequestMeta,
  steps: SpendStep[],
  now = new Date(),
): Promise<number> {
  let raised = 0;
  for (const { budget: b, periodStart, before, after } of steps) {
    if (periodStart.getTime() !== currentPeriodStart(b.period, now, b.timeZone).getTime()) continue;
    const crossed = crossedThresholds(b.thresholds, b.limitMicros, before, after);
    if (crossed.length === 0) continue;
    const tx = fullTx(lean); // alerts, audit events and webhooks go through the ORM: rarely, when a threshold is crossed
    const alerts = await tx.budgetAlert.createManyAndReturn({
      data: crossed.map((t) => ({
        budgetId: b.id,
        periodStart,
        threshold: t,
        spentMicros: after,
        limitMicros: b.limitMicros,
        message: `Budget "${b.name}" reached ${t} % of its ${PERIOD_ADJECTIVE[b.period]} limit: $${microsToUsd(after).toFixed(2)} of $${microsToUsd(b.limitMicros).toFixed(2)}`,
      })),
      skipDuplicates: true,
    });
    for (const a of alerts) {
      await writeAuditEvent(tx, actor, meta, {
        action: "budget.threshold_crossed",
        targetType: "budget",
        targetId: b.id,
        agentId: b.agentId,
        teamId: b.teamId,
        after: {
          threshold: a.threshold,
          periodStart: a.periodStart,
          spentMicros: a.spentMicros,
          limitMicros: a.limitMicros,
        },
        reason: a.message,
      });
      await enqueueWebhookEvent(tx, "budget.threshold_crossed", {
        alertId: a.id,
        budget: {
          id: b.id,
          name: b.name,
          scope: b.scope,
          agentId: b.agentId,
          teamId: b.teamId,
          period: b.period,
          hardAction: b.hardAction,
        },
        threshold: a.threshold,
        periodStart: a.periodStart.toISOString(),
        spentUsd: microsToUsd(a.spentMicros),
        limitUsd: microsToUsd(a.limitMicros),
        message: a.message,
      });
    }
    raised += alerts.length;
  }
  return raised;
}
