-- CreateEnum
CREATE TYPE "ResourceClassification" AS ENUM ('public', 'internal', 'confidential', 'personal');

-- CreateEnum
CREATE TYPE "ResourceKind" AS ENUM ('dataset', 'system', 'tool');

-- AlterTable
ALTER TABLE "decisions" ADD COLUMN     "onBehalfOf" TEXT,
ADD COLUMN     "versionNumber" INTEGER;

-- AlterTable
ALTER TABLE "permission_rules" ADD COLUMN     "classification" "ResourceClassification";

-- CreateTable
CREATE TABLE "resources" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "kind" "ResourceKind" NOT NULL,
    "classification" "ResourceClassification" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerTeamId" TEXT,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "resources_name_key" ON "resources"("name");

-- CreateIndex
CREATE UNIQUE INDEX "resources_pattern_key" ON "resources"("pattern");

-- CreateIndex
CREATE INDEX "decisions_onBehalfOf_createdAt_idx" ON "decisions"("onBehalfOf", "createdAt");

-- AddForeignKey
ALTER TABLE "resources" ADD CONSTRAINT "resources_ownerTeamId_fkey" FOREIGN KEY ("ownerTeamId") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;
