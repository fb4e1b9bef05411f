-- Deactivation now revokes a person's personal access tokens for good (lib/domain/users/set-user-status.ts); before,
-- their tokens only stopped working while they were deactivated, and came back with a reactivation. The tokens of
-- people deactivated before this change are revoked now, as their deactivation would have revoked them.
UPDATE "personal_access_tokens" SET "revokedAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::timestamp(3)
WHERE "revokedAt" IS NULL AND "userId" IN (SELECT "id" FROM "users" WHERE "disabledAt" IS NOT NULL);
