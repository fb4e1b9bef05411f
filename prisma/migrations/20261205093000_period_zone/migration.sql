-- How budget periods are cut across time-zone changes (lib/domain/budgets/periods.ts, PeriodZone): null until the
-- zone first changes, then the zone with the changes whose running periods have not ended yet.
ALTER TABLE "org_settings" ADD COLUMN "periodZone" JSONB;
