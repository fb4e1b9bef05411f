-- Budget lists show each budget's calls this period whose model had no price (its spend can be short by their cost).
-- Only the hourly rollups with such calls are read, usually none: a partial index keeps that read off the period's
-- whole rollups (a month of them at 10 M events is ~100,000s of rows). Rollup updates that leave the count unchanged
-- stay HOT (PostgreSQL compares the predicate's column before and after).
CREATE INDEX "usage_rollups_hourly_unpriced_hour_idx" ON "usage_rollups_hourly" ("hour") WHERE "unpricedCalls" > 0;
