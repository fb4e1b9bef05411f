-- AlterTable
ALTER TABLE "environment_policies" ADD COLUMN     "maxCostPerPassedCaseMicros" BIGINT;
