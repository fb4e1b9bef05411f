-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('pending', 'approved', 'denied', 'expired', 'redeemed');

-- AlterEnum
ALTER TYPE "DecisionOutcome" ADD VALUE 'pending';

-- AlterTable
ALTER TABLE "permission_rules" ADD COLUMN     "approvalTimeoutMinutes" INTEGER NOT NULL DEFAULT 15;

-- CreateTable
CREATE TABLE "approval_requests" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "ruleId" TEXT,
    "rulePosition" INTEGER,
    "action" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "estimatedMicros" BIGINT,
    "model" TEXT,
    "context" JSONB,
    "argumentsDigest" TEXT,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'pending',
    "reason" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "redeemedDecisionId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "redeemedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "approval_requests_status_createdAt_idx" ON "approval_requests"("status", "createdAt");

-- CreateIndex
CREATE INDEX "approval_requests_status_expiresAt_idx" ON "approval_requests"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "approval_requests_agentId_createdAt_idx" ON "approval_requests"("agentId", "createdAt");

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
