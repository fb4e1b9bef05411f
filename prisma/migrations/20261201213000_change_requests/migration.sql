-- Four-eyes deployment requests become change requests: one request/approve mechanism for every change that
-- could put a version live in a four-eyes environment or weaken the control itself.

-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('deployment', 'environment_policy', 'agent_environment', 'user_role');

-- Rename the table and its constraints and indexes (existing rows are deployment requests).
ALTER TABLE "deployment_requests" RENAME TO "change_requests";
ALTER TABLE "change_requests" RENAME CONSTRAINT "deployment_requests_pkey" TO "change_requests_pkey";
ALTER TABLE "change_requests" RENAME CONSTRAINT "deployment_requests_agentId_fkey" TO "change_requests_agentId_fkey";
ALTER TABLE "change_requests" RENAME CONSTRAINT "deployment_requests_versionId_fkey" TO "change_requests_versionId_fkey";
ALTER TABLE "change_requests" RENAME CONSTRAINT "deployment_requests_requestedById_fkey" TO "change_requests_requestedById_fkey";
ALTER INDEX "deployment_requests_status_createdAt_idx" RENAME TO "change_requests_status_createdAt_idx";
ALTER INDEX "deployment_requests_agentId_createdAt_idx" RENAME TO "change_requests_agentId_createdAt_idx";

-- AlterTable
ALTER TABLE "change_requests" ADD COLUMN "change" "ChangeKind" NOT NULL DEFAULT 'deployment',
ADD COLUMN "userId" TEXT,
ADD COLUMN "environment" "Environment",
ADD COLUMN "payload" JSONB NOT NULL DEFAULT '{}',
ALTER COLUMN "agentId" DROP NOT NULL,
ALTER COLUMN "versionId" DROP NOT NULL,
ALTER COLUMN "kind" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
