import { describe, expect, it } from "vitest";
import { mapSsoClaims, ssoConfig } from "./sso-mapping";

describe("SSO claim mapping", () => {
  const cfg = ssoConfig({ OIDC_ROLE_MAP: "acp-admins=admin, acp-leads=team_lead,acp-audit=auditor,bogus=root" });
  it("takes the most powerful mapped role and the teams named by prefixed values", () => {
    expect(mapSsoClaims({ groups: ["acp-audit", "acp-leads", "team:support", "team:data", "other"] }, cfg)).toEqual({
      role: "team_lead",
      teamSlugs: ["support", "data"],
    });
    expect(mapSsoClaims({ groups: "acp-admins" }, cfg)).toEqual({ role: "admin", teamSlugs: [] });
  });
  it("falls back to the default role, or refuses when configured so", () => {
    expect(mapSsoClaims({}, cfg).role).toBe("viewer");
    expect(mapSsoClaims({ groups: ["nothing"] }, ssoConfig({ OIDC_DEFAULT_ROLE: "none" })).role).toBeNull();
    expect(
      mapSsoClaims({ roles: ["x"] }, ssoConfig({ OIDC_ROLE_CLAIM: "roles", OIDC_ROLE_MAP: "x=auditor" })).role,
    ).toBe("auditor");
  });
});
