-- The identity provider account a person signs in with ("<issuer> <sub>"), bound at their first single sign-on:
-- an e-mail the provider reassigns to another account no longer signs that account in as this person.
ALTER TABLE "users" ADD COLUMN "ssoSubject" TEXT;
CREATE UNIQUE INDEX "users_ssoSubject_key" ON "users"("ssoSubject");
