-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('pending', 'approved', 'rejected');

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "approvedById" TEXT;

-- CreateTable
CREATE TABLE "deployment_requests" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "kind" "DeploymentKind" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "status" "RequestStatus" NOT NULL DEFAULT 'pending',
    "requestedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "deploymentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environment_policies" (
    "environment" "Environment" NOT NULL,
    "requireApproval" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "environment_policies_pkey" PRIMARY KEY ("environment")
);

-- CreateIndex
CREATE INDEX "deployment_requests_status_createdAt_idx" ON "deployment_requests"("status", "createdAt");

-- CreateIndex
CREATE INDEX "deployment_requests_agentId_createdAt_idx" ON "deployment_requests"("agentId", "createdAt");

-- AddForeignKey
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_deployedById_fkey" FOREIGN KEY ("deployedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_requests" ADD CONSTRAINT "deployment_requests_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_requests" ADD CONSTRAINT "deployment_requests_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "agent_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_requests" ADD CONSTRAINT "deployment_requests_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
