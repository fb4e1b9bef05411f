-- Letting personal access tokens issue credentials again waits for a second admin (four-eyes).
ALTER TYPE "ChangeKind" ADD VALUE 'token_policy';
