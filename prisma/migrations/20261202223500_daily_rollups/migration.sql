-- CreateTable
CREATE TABLE "usage_rollups_daily" (
    "agentId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "model" TEXT NOT NULL,
    "tool" TEXT NOT NULL DEFAULT '',
    "calls" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "unpricedCalls" BIGINT NOT NULL DEFAULT 0,
    "inputTokens" BIGINT NOT NULL DEFAULT 0,
    "cachedInputTokens" BIGINT NOT NULL DEFAULT 0,
    "outputTokens" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollups_daily_pkey" PRIMARY KEY ("agentId","day","model","tool","teamId")
);

-- CreateIndex
CREATE INDEX "usage_rollups_daily_teamId_day_idx" ON "usage_rollups_daily"("teamId", "day");

-- CreateIndex
CREATE INDEX "usage_rollups_daily_day_idx" ON "usage_rollups_daily"("day");

-- Backfill from the hourly rollups, by local day in the organisation time zone (UTC when none is set).
INSERT INTO "usage_rollups_daily" ("agentId", "teamId", "day", "model", "tool", "calls", "errors", "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros")
SELECT r."agentId", r."teamId",
       date_trunc('day', r."hour" AT TIME ZONE 'UTC', COALESCE((SELECT "timeZone" FROM "org_settings" WHERE "id" = 1), 'UTC')) AT TIME ZONE 'UTC',
       r."model", r."tool", SUM(r."calls"), SUM(r."errors"), SUM(r."unpricedCalls"), SUM(r."inputTokens"), SUM(r."cachedInputTokens"), SUM(r."outputTokens"), SUM(r."costMicros")
FROM "usage_rollups_hourly" r
GROUP BY 1, 2, 3, 4, 5;
