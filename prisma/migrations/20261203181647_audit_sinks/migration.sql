-- CreateEnum
CREATE TYPE "AuditSinkKind" AS ENUM ('https', 'splunk_hec', 'syslog');

-- CreateTable
CREATE TABLE "audit_sinks" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AuditSinkKind" NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "secretPrefix" TEXT,
    "ackedPosition" BIGINT NOT NULL DEFAULT 0,
    "lastDeliveredAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_sinks_pkey" PRIMARY KEY ("id")
);
