-- CreateEnum
CREATE TYPE "CanaryStatus" AS ENUM ('running', 'promoted', 'rolled_back', 'aborted');

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "versionNumber" INTEGER;

-- CreateTable
CREATE TABLE "canaries" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "stableVersionNumber" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "maxCostIncreasePct" INTEGER NOT NULL DEFAULT 25,
    "maxErrorRateIncreasePts" DOUBLE PRECISION NOT NULL DEFAULT 2,
    "minCalls" INTEGER NOT NULL DEFAULT 50,
    "status" "CanaryStatus" NOT NULL DEFAULT 'running',
    "reason" TEXT NOT NULL DEFAULT '',
    "startedById" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endedReason" TEXT,
    "result" JSONB,

    CONSTRAINT "canaries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "canaries_agentId_status_idx" ON "canaries"("agentId", "status");

-- CreateIndex
CREATE INDEX "canaries_status_idx" ON "canaries"("status");

-- AddForeignKey
ALTER TABLE "canaries" ADD CONSTRAINT "canaries_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
