-- AlterTable
ALTER TABLE "canaries" ADD COLUMN     "maxCostPerSuccessIncreasePct" INTEGER,
ADD COLUMN     "minOutcomes" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "outcomeTypeId" TEXT;

-- CreateIndex
CREATE INDEX "outcomes_agentId_outcomeTypeId_timestamp_idx" ON "outcomes"("agentId", "outcomeTypeId", "timestamp");

-- CreateIndex
CREATE INDEX "outcomes_timestamp_idx" ON "outcomes"("timestamp");
