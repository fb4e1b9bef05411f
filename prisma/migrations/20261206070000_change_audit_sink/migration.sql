-- Stopping the audit trail's stream to a SIEM sink waits for a second admin (four-eyes).
ALTER TYPE "ChangeKind" ADD VALUE 'audit_sink';
