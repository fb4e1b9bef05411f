-- The score each required eval suite's run must reach in an environment, set by admins (a run's own threshold is
-- whatever its poster sent): suite name → minimum score.
ALTER TABLE "environment_policies" ADD COLUMN "minScores" JSONB NOT NULL DEFAULT '{}';
