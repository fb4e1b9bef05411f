-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "agentCard" JSONB;
