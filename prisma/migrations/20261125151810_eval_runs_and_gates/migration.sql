-- AlterTable
ALTER TABLE "deployment_requests" ADD COLUMN     "gateOverride" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "gateOverride" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "environment_policies" ADD COLUMN     "requiredSuites" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "eval_runs" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "suite" TEXT NOT NULL,
    "ranAt" TIMESTAMP(3) NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "logUrl" TEXT,
    "caseCount" INTEGER NOT NULL,
    "passedCases" INTEGER NOT NULL,
    "costMicros" BIGINT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "eval_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_cases" (
    "evalRunId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "score" DOUBLE PRECISION,
    "costMicros" BIGINT,
    "latencyMs" INTEGER,

    CONSTRAINT "eval_cases_pkey" PRIMARY KEY ("evalRunId","caseId")
);

-- CreateIndex
CREATE INDEX "eval_runs_versionId_suite_ranAt_idx" ON "eval_runs"("versionId", "suite", "ranAt");

-- CreateIndex
CREATE UNIQUE INDEX "eval_runs_agentId_runId_key" ON "eval_runs"("agentId", "runId");

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "agent_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_cases" ADD CONSTRAINT "eval_cases_evalRunId_fkey" FOREIGN KEY ("evalRunId") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
