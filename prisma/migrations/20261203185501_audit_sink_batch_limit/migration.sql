-- AlterTable
ALTER TABLE "audit_sinks" ADD COLUMN     "batchLimit" INTEGER;
