-- AlterTable
ALTER TABLE "agent_keys" ADD COLUMN     "rotatedToId" TEXT;

-- AlterTable
ALTER TABLE "decisions" ADD COLUMN     "reservations" JSONB;

-- CreateIndex
CREATE INDEX "decisions_reservationExpiresAt_idx" ON "decisions"("reservationExpiresAt");
