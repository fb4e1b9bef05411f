-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "taskId" TEXT;

-- CreateTable
CREATE TABLE "outcome_types" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerTeamId" TEXT,
    "hasValue" BOOLEAN NOT NULL DEFAULT false,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outcome_types_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outcome_type_reporters" (
    "outcomeTypeId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,

    CONSTRAINT "outcome_type_reporters_pkey" PRIMARY KEY ("outcomeTypeId","agentId")
);

-- CreateTable
CREATE TABLE "outcomes" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "outcomeTypeId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "versionNumber" INTEGER,
    "success" BOOLEAN NOT NULL,
    "valueMicros" BIGINT,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outcome_types_name_key" ON "outcome_types"("name");

-- CreateIndex
CREATE INDEX "outcome_type_reporters_agentId_idx" ON "outcome_type_reporters"("agentId");

-- CreateIndex
CREATE INDEX "outcomes_agentId_timestamp_idx" ON "outcomes"("agentId", "timestamp");

-- CreateIndex
CREATE INDEX "outcomes_outcomeTypeId_timestamp_idx" ON "outcomes"("outcomeTypeId", "timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "outcomes_agentId_eventId_key" ON "outcomes"("agentId", "eventId");

-- CreateIndex
CREATE INDEX "usage_events_agentId_taskId_idx" ON "usage_events"("agentId", "taskId");

-- AddForeignKey
ALTER TABLE "outcome_types" ADD CONSTRAINT "outcome_types_ownerTeamId_fkey" FOREIGN KEY ("ownerTeamId") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_type_reporters" ADD CONSTRAINT "outcome_type_reporters_outcomeTypeId_fkey" FOREIGN KEY ("outcomeTypeId") REFERENCES "outcome_types"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_type_reporters" ADD CONSTRAINT "outcome_type_reporters_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_outcomeTypeId_fkey" FOREIGN KEY ("outcomeTypeId") REFERENCES "outcome_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
