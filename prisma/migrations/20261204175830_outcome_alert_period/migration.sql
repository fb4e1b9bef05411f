-- A budget-per-outcome alert is about one period of its type: the period length joins the key, so a type whose
-- period changes can alert for a new period that starts when an earlier, shorter one did.
-- DropIndex
DROP INDEX "outcome_cost_alerts_outcomeTypeId_agentId_periodStart_key";

-- AlterTable: existing alerts were raised under their type's current period (the only one a type has had unless it
-- was changed; the closest record there is).
ALTER TABLE "outcome_cost_alerts" ADD COLUMN     "period" "BudgetPeriod";
UPDATE "outcome_cost_alerts" a SET "period" = t."costPeriod" FROM "outcome_types" t WHERE t."id" = a."outcomeTypeId";
ALTER TABLE "outcome_cost_alerts" ALTER COLUMN "period" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "outcome_cost_alerts_outcomeTypeId_agentId_period_periodStar_key" ON "outcome_cost_alerts"("outcomeTypeId", "agentId", "period", "periodStart");
