-- CreateTable
CREATE TABLE "audit_outbox" (
    "id" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "actor" JSONB NOT NULL,
    "meta" JSONB NOT NULL,
    "event" JSONB NOT NULL,

    CONSTRAINT "audit_outbox_pkey" PRIMARY KEY ("id")
);
