-- When the session's person last gave their password again (fresh proof): minting a credential (a token, an agent
-- key, someone's password) is allowed within a short while of this or of signing in.
ALTER TABLE "user_sessions" ADD COLUMN "provedAt" TIMESTAMP(3);
