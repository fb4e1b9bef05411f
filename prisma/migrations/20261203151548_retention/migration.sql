-- AlterTable
ALTER TABLE "org_settings" ADD COLUMN     "usageRetentionMonths" INTEGER NOT NULL DEFAULT 13;

-- CreateIndex
CREATE INDEX "decisions_createdAt_idx" ON "decisions"("createdAt");
