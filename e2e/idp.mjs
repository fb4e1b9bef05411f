/**
 * A real OpenID Provider for the end-to-end tests (panva/oidc-provider, certified), with its development login
 * and consent screens. Accounts carry a "groups" claim the app maps to roles and teams:
 *   sso-admin → acp-admins (admin) · sso-lead → acp-leads + team:support (team lead of Customer Support) · anything else → no groups (viewer)
 *   sso-unverified → acp-admins, with an e-mail the provider has not verified (email_verified: false)
 *   sso-unsaid → acp-admins, with no email_verified claim at all (a provider that does not say)
 *   sso-reused → acp-admins, another account given sso-admin's e-mail (a reused address)
 */
import Provider from "oidc-provider";

const port = Number(process.env.IDP_PORT ?? 3102);
const app = process.env.IDP_APP_URL ?? "http://127.0.0.1:3100";
const ACCOUNTS = {
  "sso-admin": { name: "Sam Single-Sign-On", groups: ["acp-admins", "staff"] },
  "sso-lead": { name: "Lee Support-Lead", groups: ["acp-leads", "team:support"] },
  "sso-unverified": { name: "Una Unverified", groups: ["acp-admins"], verified: false },
  "sso-unsaid": { name: "Uma Unsaid", groups: ["acp-admins"], verified: undefined },
  "sso-reused": { name: "Rey Reused", groups: ["acp-admins"], email: "sso-admin@idp.example" },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: process.env.IDP_CLIENT_ID ?? "acp-e2e",
      client_secret: process.env.IDP_CLIENT_SECRET ?? "acp-e2e-secret",
      redirect_uris: [`${app}/api/auth/callback/oidc`],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
  // Put the scope's claims in the ID token too (next-auth reads the ID token).
  conformIdTokenClaims: false,
  cookies: { keys: ["e2e-only-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const a = ACCOUNTS[id] ?? { name: id, groups: [] };
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        email: a.email ?? `${id}@idp.example`,
        ...("verified" in a && a.verified === undefined ? {} : { email_verified: a.verified ?? true }),
        name: a.name,
        groups: a.groups,
      }),
    };
  },
});
provider.listen(port, "127.0.0.1", () => console.log(`[idp] OpenID Provider on http://127.0.0.1:${port}`));
