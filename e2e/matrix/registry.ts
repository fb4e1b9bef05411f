/**
 * Every API route, who may call it, and how to reach one of its objects. The role-matrix test fails when a
 * route file exists that is not listed here, so a new route cannot be forgotten.
 *
 * Roles: anon (no credentials), viewer, auditor, lead (team lead of Customer Support, calling on Engineering's
 * objects), admin, agent (an agent key, on people's endpoints it must get 401). `allow` lists who gets past
 * authentication and authorization; everyone else must get 401 (no or wrong kind of credentials), 403 or 404.
 * `hidden` lists who must not learn that the object exists (the lead, for Engineering's agents and budgets): they get
 * 404 exactly, as for a missing object, never 403.
 */
export type Role = "anon" | "viewer" | "auditor" | "lead" | "admin" | "agent";
export const ROLES: Role[] = ["anon", "viewer", "auditor", "lead", "admin", "agent"];

export type Ids = { agent: string; rule: string; key: string; budget: string; user: string; fake: string };
export type Entry = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  route: string;
  path: (ids: Ids) => string;
  allow: Role[];
  hidden?: Role[];
  /** The request body, or a function of the objects' ids giving it. */
  body?: unknown;
  skip?: string;
};

const PEOPLE: Role[] = ["viewer", "auditor", "lead", "admin"];
const READERS_OF_ENGINEERING: Role[] = ["viewer", "auditor", "admin"]; // the lead is of another team
const LEAD: Role[] = ["lead"];
const EVERYONE: Role[] = ["anon", ...PEOPLE, "agent"];
const range = () => {
  const to = new Date();
  return `from=${new Date(to.getTime() - 7 * 86_400_000).toISOString()}&to=${to.toISOString()}`;
};

export const REGISTRY: Entry[] = [
  {
    method: "GET",
    route: "/api/auth/[...nextauth]",
    path: () => "/api/auth/session",
    allow: EVERYONE,
    skip: "next-auth's own endpoints",
  },
  { method: "GET", route: "/api/health", path: () => "/api/health", allow: EVERYONE },
  { method: "GET", route: "/api/ready", path: () => "/api/ready", allow: EVERYONE },
  { method: "GET", route: "/api/v1/health", path: () => "/api/v1/health", allow: EVERYONE },
  { method: "GET", route: "/api/v1/openapi.json", path: () => "/api/v1/openapi.json", allow: EVERYONE },

  { method: "GET", route: "/api/v1/runtime/config", path: () => "/api/v1/runtime/config", allow: ["agent"] },
  {
    method: "POST",
    route: "/api/v1/runtime/authorize",
    path: () => "/api/v1/runtime/authorize",
    allow: ["agent"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/runtime/outcomes",
    path: () => "/api/v1/runtime/outcomes",
    allow: ["agent"],
    body: {},
  },
  {
    method: "GET",
    route: "/api/v1/runtime/approvals/[id]",
    path: (i) => `/api/v1/runtime/approvals/${i.fake}`,
    allow: ["agent"],
  },
  { method: "POST", route: "/api/v1/runtime/usage", path: () => "/api/v1/runtime/usage", allow: ["agent"], body: {} },
  {
    method: "POST",
    route: "/api/v1/otlp/v1/traces",
    path: () => "/api/v1/otlp/v1/traces",
    allow: ["agent"],
    body: { resourceSpans: [] },
  },

  { method: "GET", route: "/api/v1/agents", path: () => "/api/v1/agents", allow: PEOPLE },
  { method: "POST", route: "/api/v1/agents", path: () => "/api/v1/agents", allow: ["admin"], body: {} },
  {
    method: "GET",
    route: "/api/v1/agents/[id]",
    path: (i) => `/api/v1/agents/${i.agent}`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "PATCH",
    route: "/api/v1/agents/[id]",
    path: (i) => `/api/v1/agents/${i.agent}`,
    allow: ["admin"],
    body: { environment: "nope" },
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/suspend",
    path: (i) => `/api/v1/agents/${i.agent}/suspend`,
    allow: ["admin"],
    body: {},
  },
  // Retiring cannot be undone: aimed at a fake id, so fuzzing never retires a seeded agent.
  {
    method: "POST",
    route: "/api/v1/agents/[id]/retire",
    path: (i) => `/api/v1/agents/${i.fake}/retire`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/resume",
    path: (i) => `/api/v1/agents/${i.fake}/resume`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/keys",
    path: (i) => `/api/v1/agents/${i.agent}/keys`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/keys",
    path: (i) => `/api/v1/agents/${i.agent}/keys`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "DELETE",
    route: "/api/v1/agents/[id]/keys/[keyId]",
    path: (i) => `/api/v1/agents/${i.agent}/keys/${i.fake}`,
    allow: ["admin"],
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/keys/[keyId]/rotate",
    path: (i) => `/api/v1/agents/${i.agent}/keys/${i.key}/rotate`,
    allow: ["admin"],
    body: { graceMinutes: -1 },
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/permissions",
    path: (i) => `/api/v1/agents/${i.agent}/permissions`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/agent-card.json",
    path: (i) => `/api/v1/agents/${i.agent}/agent-card.json`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "PUT",
    route: "/api/v1/agents/[id]/agent-card.json",
    path: (i) => `/api/v1/agents/${i.agent}/agent-card.json`,
    allow: ["admin"],
    hidden: LEAD,
    body: {},
  },
  // Aimed at a fake id, so fuzzing never removes a seeded agent's card.
  {
    method: "DELETE",
    route: "/api/v1/agents/[id]/agent-card.json",
    path: (i) => `/api/v1/agents/${i.fake}/agent-card.json`,
    allow: ["admin"],
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/permissions/cedar",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/cedar`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/permissions",
    path: (i) => `/api/v1/agents/${i.agent}/permissions`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "PATCH",
    route: "/api/v1/agents/[id]/permissions/[ruleId]",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/${i.rule}`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "DELETE",
    route: "/api/v1/agents/[id]/permissions/[ruleId]",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/${i.fake}`,
    allow: ["admin"],
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/permissions/[ruleId]/move",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/${i.rule}/move`,
    allow: ["admin"],
    body: { direction: "sideways" },
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/permissions/[ruleId]/promote",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/${i.rule}/promote`,
    allow: ["admin"],
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/permissions/[ruleId]/shadow",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/${i.rule}/shadow`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/permissions/templates",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/templates`,
    allow: PEOPLE,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/permissions/templates",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/templates`,
    allow: ["admin"],
    body: { template: "nope" },
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/permissions/replay",
    path: (i) => `/api/v1/agents/${i.agent}/permissions/replay`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
    body: { change: { op: "add", rule: { effect: "deny", action: "tool:invoke", resource: "*" } } },
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/canary",
    path: (i) => `/api/v1/agents/${i.agent}/canary`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/canary",
    path: (i) => `/api/v1/agents/${i.agent}/canary`,
    allow: ["admin"],
    hidden: LEAD,
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/canary/promote",
    path: (i) => `/api/v1/agents/${i.agent}/canary/promote`,
    allow: ["admin"],
    hidden: LEAD,
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/canary/rollback",
    path: (i) => `/api/v1/agents/${i.agent}/canary/rollback`,
    allow: ["admin"],
    hidden: LEAD,
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/simulate",
    path: (i) => `/api/v1/agents/${i.agent}/simulate`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
    body: { action: "tool:invoke", resource: "github.search" },
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/versions",
    path: (i) => `/api/v1/agents/${i.agent}/versions`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/versions",
    path: (i) => `/api/v1/agents/${i.agent}/versions`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/versions/[number]/evals",
    path: (i) => `/api/v1/agents/${i.agent}/versions/1/evals`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/versions/[number]/evals",
    path: (i) => `/api/v1/agents/${i.agent}/versions/1/evals`,
    allow: ["admin"],
    hidden: LEAD,
    body: {},
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/deployments",
    path: (i) => `/api/v1/agents/${i.agent}/deployments`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "POST",
    route: "/api/v1/agents/[id]/deployments",
    path: (i) => `/api/v1/agents/${i.agent}/deployments`,
    allow: ["admin"],
    body: {},
  },

  { method: "GET", route: "/api/v1/change-requests", path: () => "/api/v1/change-requests", allow: ["admin"] },
  {
    method: "POST",
    route: "/api/v1/change-requests/[id]/approve",
    path: (i) => `/api/v1/change-requests/${i.fake}/approve`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/change-requests/[id]/reject",
    path: (i) => `/api/v1/change-requests/${i.fake}/reject`,
    allow: ["admin"],
    body: {},
  },
  { method: "GET", route: "/api/v1/approvals", path: () => "/api/v1/approvals", allow: PEOPLE },
  {
    method: "GET",
    route: "/api/v1/approvals/[id]",
    path: (i) => `/api/v1/approvals/${i.fake}`,
    allow: PEOPLE,
  },
  {
    method: "POST",
    route: "/api/v1/approvals/[id]/approve",
    path: (i) => `/api/v1/approvals/${i.fake}/approve`,
    allow: ["lead", "admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/approvals/[id]/deny",
    path: (i) => `/api/v1/approvals/${i.fake}/deny`,
    allow: ["lead", "admin"],
    body: { reason: "no" },
  },
  { method: "GET", route: "/api/v1/mcp/servers", path: () => "/api/v1/mcp/servers", allow: PEOPLE },
  { method: "POST", route: "/api/v1/mcp/servers", path: () => "/api/v1/mcp/servers", allow: ["admin"], body: {} },
  {
    method: "GET",
    route: "/api/v1/mcp/servers/[id]",
    path: (i) => `/api/v1/mcp/servers/${i.fake}`,
    allow: PEOPLE,
  },
  {
    method: "POST",
    route: "/api/v1/mcp/servers/[id]/import",
    path: (i) => `/api/v1/mcp/servers/${i.fake}/import`,
    allow: ["admin"],
    body: { tools: [] },
  },
  {
    method: "POST",
    route: "/api/v1/mcp/tools/[id]/accept",
    path: (i) => `/api/v1/mcp/tools/${i.fake}/accept`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/mcp/tools/[id]/reject",
    path: (i) => `/api/v1/mcp/tools/${i.fake}/reject`,
    allow: ["admin"],
    body: {},
  },
  { method: "GET", route: "/api/v1/environment-policies", path: () => "/api/v1/environment-policies", allow: PEOPLE },
  {
    method: "PUT",
    route: "/api/v1/environment-policies",
    path: () => "/api/v1/environment-policies",
    allow: ["admin"],
    body: {},
  },
  { method: "GET", route: "/api/v1/deployment-requests", path: () => "/api/v1/deployment-requests", allow: ["admin"] },
  {
    method: "POST",
    route: "/api/v1/deployment-requests/[id]/approve",
    path: (i) => `/api/v1/deployment-requests/${i.fake}/approve`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/deployment-requests/[id]/reject",
    path: (i) => `/api/v1/deployment-requests/${i.fake}/reject`,
    allow: ["admin"],
    body: {},
  },
  { method: "GET", route: "/api/v1/deployment-gates", path: () => "/api/v1/deployment-gates", allow: PEOPLE },
  {
    method: "GET",
    route: "/api/v1/deployment-gates/[environment]",
    path: () => "/api/v1/deployment-gates/prod",
    allow: PEOPLE,
  },
  {
    method: "PUT",
    route: "/api/v1/deployment-gates",
    path: () => "/api/v1/deployment-gates",
    allow: ["admin"],
    body: {},
  },

  {
    method: "GET",
    route: "/api/v1/audit/events",
    path: () => "/api/v1/audit/events?limit=1",
    allow: ["auditor", "admin"],
  },
  {
    method: "GET",
    route: "/api/v1/audit/events/[position]",
    path: () => "/api/v1/audit/events/1",
    allow: ["auditor", "admin"],
  },
  {
    method: "GET",
    route: "/api/v1/audit/export",
    path: () => "/api/v1/audit/export?format=nope",
    allow: ["auditor", "admin"],
  },
  { method: "GET", route: "/api/v1/audit/verify", path: () => "/api/v1/audit/verify", allow: ["auditor", "admin"] },
  {
    method: "GET",
    route: "/api/v1/audit/evidence-pack",
    // A reversed range: allowed roles get 422 and nothing is written (making a pack is audited).
    path: () => "/api/v1/audit/evidence-pack?from=2026-02-01&to=2026-01-01",
    allow: ["auditor", "admin"],
  },

  { method: "GET", route: "/api/v1/budgets", path: () => "/api/v1/budgets", allow: PEOPLE },
  { method: "POST", route: "/api/v1/budgets", path: () => "/api/v1/budgets", allow: ["lead", "admin"], body: {} },
  {
    method: "GET",
    route: "/api/v1/budgets/[id]",
    path: (i) => `/api/v1/budgets/${i.budget}`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "GET",
    route: "/api/v1/budgets/[id]/history",
    path: (i) => `/api/v1/budgets/${i.budget}/history`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },
  {
    method: "PATCH",
    route: "/api/v1/budgets/[id]",
    path: (i) => `/api/v1/budgets/${i.budget}`,
    allow: ["admin"],
    hidden: LEAD,
    body: { limitUsd: -1 },
  },
  {
    method: "POST",
    route: "/api/v1/budgets/replay",
    path: () => "/api/v1/budgets/replay",
    allow: ["admin"],
    hidden: LEAD,
    body: (i: Ids) => ({ change: { op: "update", budgetId: i.budget, budget: { limitUsd: 1 } } }),
  },
  {
    method: "POST",
    route: "/api/v1/budgets/[id]/archive",
    path: (i) => `/api/v1/budgets/${i.fake}/archive`,
    allow: ["admin"],
    body: {},
  },

  { method: "GET", route: "/api/v1/outcome-types", path: () => "/api/v1/outcome-types", allow: PEOPLE },
  {
    method: "POST",
    route: "/api/v1/outcome-types",
    path: () => "/api/v1/outcome-types",
    allow: ["admin"],
    body: { name: "Not A Name" },
  },
  {
    method: "PATCH",
    route: "/api/v1/outcome-types/[id]",
    path: (i) => `/api/v1/outcome-types/${i.fake}`,
    allow: ["admin"],
    body: { description: "x" },
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/outcomes",
    path: (i) => `/api/v1/agents/${i.agent}/outcomes`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },

  { method: "GET", route: "/api/v1/resources", path: () => "/api/v1/resources", allow: PEOPLE },
  {
    method: "POST",
    route: "/api/v1/resources",
    path: () => "/api/v1/resources",
    allow: ["admin"],
    body: { name: "x", pattern: "x", kind: "dataset", classification: "secret" },
  },
  { method: "GET", route: "/api/v1/resources/[id]", path: (i) => `/api/v1/resources/${i.fake}`, allow: PEOPLE },
  {
    method: "PATCH",
    route: "/api/v1/resources/[id]",
    path: (i) => `/api/v1/resources/${i.fake}`,
    allow: ["admin"],
    body: { description: "x" },
  },
  {
    method: "GET",
    route: "/api/v1/resources/[id]/lineage",
    path: (i) => `/api/v1/resources/${i.fake}/lineage?${range()}`,
    allow: PEOPLE,
  },
  {
    method: "GET",
    route: "/api/v1/resources/[id]/lineage/export",
    path: (i) => `/api/v1/resources/${i.fake}/lineage/export?${range()}`,
    allow: PEOPLE,
  },
  {
    method: "GET",
    route: "/api/v1/lineage",
    path: () => `/api/v1/lineage?onBehalfOf=alice&${range()}`,
    allow: ["auditor", "lead", "admin"],
  },
  {
    method: "GET",
    route: "/api/v1/lineage/export",
    path: () => `/api/v1/lineage/export?onBehalfOf=alice&${range()}`,
    allow: ["auditor", "lead", "admin"],
  },
  {
    method: "GET",
    route: "/api/v1/agents/[id]/resources",
    path: (i) => `/api/v1/agents/${i.agent}/resources`,
    allow: READERS_OF_ENGINEERING,
    hidden: LEAD,
  },

  { method: "GET", route: "/api/v1/spend", path: () => `/api/v1/spend?${range()}&bucket=day`, allow: PEOPLE },
  { method: "GET", route: "/api/v1/spend/breakdown", path: () => `/api/v1/spend/breakdown?${range()}`, allow: PEOPLE },
  { method: "GET", route: "/api/v1/spend/export", path: () => `/api/v1/spend/export?${range()}`, allow: PEOPLE },
  { method: "GET", route: "/api/v1/spend/burn", path: () => "/api/v1/spend/burn", allow: PEOPLE },
  { method: "GET", route: "/api/v1/spend/focus", path: () => `/api/v1/spend/focus?${range()}`, allow: PEOPLE },

  { method: "GET", route: "/api/v1/settings", path: () => "/api/v1/settings", allow: PEOPLE },
  {
    method: "PATCH",
    route: "/api/v1/settings",
    path: () => "/api/v1/settings",
    allow: ["admin"],
    body: { timeZone: "Mars/Olympus" },
  },
  { method: "GET", route: "/api/v1/notifications", path: () => "/api/v1/notifications", allow: PEOPLE },
  {
    method: "POST",
    route: "/api/v1/notifications/read",
    path: () => "/api/v1/notifications/read",
    allow: PEOPLE,
    body: {},
  },
  // People and teams: writes aim at a fake id, so fuzzing cannot rename a real team or demote a real person.
  { method: "GET", route: "/api/v1/users", path: () => "/api/v1/users", allow: ["auditor", "admin"] },
  { method: "POST", route: "/api/v1/users", path: () => "/api/v1/users", allow: ["admin"], body: {} },
  { method: "GET", route: "/api/v1/users/[id]", path: (i) => `/api/v1/users/${i.user}`, allow: ["auditor", "admin"] },
  {
    method: "PATCH",
    route: "/api/v1/users/[id]",
    path: (i) => `/api/v1/users/${i.fake}`,
    allow: ["admin"],
    body: { role: "root" },
  },
  {
    method: "POST",
    route: "/api/v1/users/[id]/deactivate",
    path: (i) => `/api/v1/users/${i.fake}/deactivate`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/users/[id]/reactivate",
    path: (i) => `/api/v1/users/${i.fake}/reactivate`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/users/[id]/sessions/revoke",
    path: (i) => `/api/v1/users/${i.fake}/sessions/revoke`,
    allow: ["admin"],
    body: {},
  },
  {
    method: "POST",
    route: "/api/v1/users/[id]/sso/unlink",
    path: (i) => `/api/v1/users/${i.fake}/sso/unlink`,
    allow: ["admin"],
    body: {},
  },
  { method: "GET", route: "/api/v1/teams", path: () => "/api/v1/teams", allow: PEOPLE },
  { method: "POST", route: "/api/v1/teams", path: () => "/api/v1/teams", allow: ["admin"], body: {} },
  {
    method: "PATCH",
    route: "/api/v1/teams/[id]",
    path: (i) => `/api/v1/teams/${i.fake}`,
    allow: ["admin"],
    body: { name: "" },
  },

  // AuthZEN: admins and team leads ask on their agents' behalf (a token scoped to decisions:evaluate, or any of theirs).
  {
    method: "POST",
    route: "/access/v1/evaluation",
    path: () => "/access/v1/evaluation",
    allow: ["admin", "lead"],
    body: {},
  },
  {
    method: "POST",
    route: "/access/v1/evaluations",
    path: () => "/access/v1/evaluations",
    allow: ["admin", "lead"],
    body: {},
  },
  {
    method: "GET",
    route: "/.well-known/authzen-configuration",
    path: () => "/.well-known/authzen-configuration",
    allow: EVERYONE,
  },
  // The whole configuration is read by admins and auditors (as the audit trail is); only admins apply it.
  { method: "GET", route: "/api/v1/config/export", path: () => "/api/v1/config/export", allow: ["auditor", "admin"] },
  { method: "GET", route: "/api/v1/config/schema", path: () => "/api/v1/config/schema", allow: PEOPLE },
  {
    method: "POST",
    route: "/api/v1/config/plan",
    path: () => "/api/v1/config/plan",
    allow: ["auditor", "admin"],
    body: {},
  },
  { method: "POST", route: "/api/v1/config/apply", path: () => "/api/v1/config/apply", allow: ["admin"], body: {} },
  {
    method: "GET",
    route: "/api/v1/audit/checkpoints",
    path: () => "/api/v1/audit/checkpoints",
    allow: ["auditor", "admin"],
  },
  {
    method: "POST",
    route: "/api/v1/audit/checkpoints",
    path: () => "/api/v1/audit/checkpoints",
    allow: ["admin"],
    body: {},
  },
  {
    method: "GET",
    route: "/.well-known/acp-audit-keys.json",
    path: () => "/.well-known/acp-audit-keys.json",
    allow: EVERYONE,
  },
  { method: "GET", route: "/api/v1/model-prices", path: () => "/api/v1/model-prices", allow: PEOPLE },
  { method: "POST", route: "/api/v1/model-prices", path: () => "/api/v1/model-prices", allow: ["admin"], body: {} },
  { method: "GET", route: "/api/v1/tokens", path: () => "/api/v1/tokens", allow: PEOPLE },
  // Tokens are created from a signed-in session only: every token (all the matrix sends) is refused.
  { method: "POST", route: "/api/v1/tokens", path: () => "/api/v1/tokens", allow: [], body: {} },
  { method: "DELETE", route: "/api/v1/tokens/[id]", path: (i) => `/api/v1/tokens/${i.fake}`, allow: PEOPLE },

  { method: "GET", route: "/api/v1/audit/sinks", path: () => "/api/v1/audit/sinks", allow: ["admin"] },
  { method: "POST", route: "/api/v1/audit/sinks", path: () => "/api/v1/audit/sinks", allow: ["admin"], body: {} },
  {
    method: "DELETE",
    route: "/api/v1/audit/sinks/[id]",
    path: (i) => `/api/v1/audit/sinks/${i.fake}`,
    allow: ["admin"],
  },
  { method: "GET", route: "/api/v1/webhooks", path: () => "/api/v1/webhooks", allow: ["admin"] },
  { method: "POST", route: "/api/v1/webhooks", path: () => "/api/v1/webhooks", allow: ["admin"], body: {} },
  { method: "DELETE", route: "/api/v1/webhooks/[id]", path: (i) => `/api/v1/webhooks/${i.fake}`, allow: ["admin"] },
  {
    method: "POST",
    route: "/api/v1/webhooks/[id]/test",
    path: (i) => `/api/v1/webhooks/${i.fake}/test`,
    allow: ["admin"],
    body: {},
  },
];
