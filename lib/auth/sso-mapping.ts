import "server-only";

/**
 * Maps an identity provider's claims to a role and teams. Configuration (env):
 *   OIDC_ROLE_CLAIM  claim holding group/role names (default "groups"; a string or an array of strings)
 *   OIDC_ROLE_MAP    "<claim value>=<role>,…", e.g. "acp-admins=admin,acp-auditors=auditor,acp-leads=team_lead";
 *                    the most powerful matching role wins (admin > team_lead > auditor > viewer)
 *   OIDC_DEFAULT_ROLE role when nothing matches (default "viewer"; "none" refuses the sign-in)
 *   OIDC_TEAM_PREFIX claim values "<prefix><team slug>" make the person a member of that team (default "team:")
 */
export type Role = "admin" | "team_lead" | "auditor" | "viewer";
const RANK: Role[] = ["viewer", "auditor", "team_lead", "admin"];

export type SsoConfig = { roleClaim: string; roleMap: Map<string, Role>; defaultRole: Role | null; teamPrefix: string };

export function ssoConfig(env: Record<string, string | undefined> = process.env): SsoConfig {
  const roleMap = new Map<string, Role>();
  for (const pair of (env.OIDC_ROLE_MAP ?? "").split(",")) {
    const [value, role] = pair.split("=").map((s) => s?.trim());
    if (value && RANK.includes(role as Role)) roleMap.set(value, role as Role);
  }
  const def = (env.OIDC_DEFAULT_ROLE ?? "viewer").trim();
  return {
    roleClaim: env.OIDC_ROLE_CLAIM || "groups",
    roleMap,
    defaultRole: RANK.includes(def as Role) ? (def as Role) : null,
    teamPrefix: env.OIDC_TEAM_PREFIX ?? "team:",
  };
}

function claimValues(claims: Record<string, unknown>, name: string): string[] {
  const v = claims[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  if (typeof v === "string") return v.split(/[\s,]+/).filter(Boolean);
  return [];
}

export function mapSsoClaims(
  claims: Record<string, unknown>,
  cfg: SsoConfig,
): { role: Role | null; teamSlugs: string[] } {
  const values = claimValues(claims, cfg.roleClaim);
  const roles = values.map((v) => cfg.roleMap.get(v)).filter((r): r is Role => !!r);
  const role = roles.length
    ? roles.reduce((best, r) => (RANK.indexOf(r) > RANK.indexOf(best) ? r : best))
    : cfg.defaultRole;
  const teamSlugs = cfg.teamPrefix
    ? values.filter((v) => v.startsWith(cfg.teamPrefix)).map((v) => v.slice(cfg.teamPrefix.length))
    : [];
  return { role, teamSlugs: [...new Set(teamSlugs)] };
}
