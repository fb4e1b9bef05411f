-- AlterTable
ALTER TABLE "outcome_types" ADD COLUMN     "costPeriod" "BudgetPeriod" NOT NULL DEFAULT 'day',
ADD COLUMN     "maxCostPerSuccessMicros" BIGINT;

-- CreateTable
CREATE TABLE "outcome_cost_alerts" (
    "id" TEXT NOT NULL,
    "outcomeTypeId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "successes" INTEGER NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "limitMicros" BIGINT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_cost_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outcome_cost_alerts_createdAt_idx" ON "outcome_cost_alerts"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "outcome_cost_alerts_outcomeTypeId_agentId_periodStart_key" ON "outcome_cost_alerts"("outcomeTypeId", "agentId", "periodStart");

-- AddForeignKey
ALTER TABLE "outcome_cost_alerts" ADD CONSTRAINT "outcome_cost_alerts_outcomeTypeId_fkey" FOREIGN KEY ("outcomeTypeId") REFERENCES "outcome_types"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_cost_alerts" ADD CONSTRAINT "outcome_cost_alerts_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
