-- Whether personal access tokens may issue credentials that outlive them (agent keys, passwords, SIEM sinks, webhook
-- endpoints): an organisation can keep a leaked token from leaving any behind.
ALTER TABLE "org_settings" ADD COLUMN "tokensIssueCredentials" BOOLEAN NOT NULL DEFAULT true;
