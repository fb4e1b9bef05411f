-- Shortening retention (raw usage and decisions, or the audit trail) waits for a second admin (four-eyes).
ALTER TYPE "ChangeKind" ADD VALUE 'retention';
