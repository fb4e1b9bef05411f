/**
 * Every audit action: the type of its target and a label for people. `writeAuditEvent` takes only these actions,
 * each with its own target type; the audit filters (console and API) offer and accept only these. Stored events keep
 * their action as text, so an action is never renamed or removed once written: add new ones.
 */
export const AUDIT_ACTIONS = {
  "agent.registered": { target: "agent", label: "Agent registered" },
  "agent.updated": { target: "agent", label: "Agent updated" },
  "agent.suspended": { target: "agent", label: "Agent suspended" },
  "agent.resumed": { target: "agent", label: "Agent resumed" },
  "agent.retired": { target: "agent", label: "Agent retired" },
  "agent.card_set": { target: "agent", label: "Agent card imported" },
  "agent.card_removed": { target: "agent", label: "Agent card removed" },
  "version.created": { target: "agent_version", label: "Version created" },
  "eval.recorded": { target: "agent_version", label: "Eval run recorded" },
  "deployment.created": { target: "agent", label: "Version deployed" },
  "deployment.rolled_back": { target: "agent", label: "Rolled back" },
  "deployment.gate_overridden": { target: "agent", label: "Eval gate overridden" },
  "deployment.canary_started": { target: "agent", label: "Canary started" },
  "deployment.canary_promoted": { target: "agent", label: "Canary promoted" },
  "deployment.canary_rolled_back": { target: "agent", label: "Canary rolled back" },
  "deployment.canary_aborted": { target: "agent", label: "Canary ended by a deployment" },
  "deployment.requested": { target: "deployment_request", label: "Deployment requested" },
  "deployment.approved": { target: "deployment_request", label: "Deployment approved" },
  "deployment.rejected": { target: "deployment_request", label: "Deployment rejected" },
  "change.requested": { target: "change_request", label: "Change requested" },
  "change.approved": { target: "change_request", label: "Change approved" },
  "change.rejected": { target: "change_request", label: "Change rejected" },
  "policy.updated": { target: "environment", label: "Environment policy updated" },
  "key.created": { target: "agent_key", label: "Key created" },
  "key.rotated": { target: "agent_key", label: "Key rotated" },
  "key.revoked": { target: "agent_key", label: "Key revoked" },
  "permission.created": { target: "permission_rule", label: "Rule added" },
  "permission.updated": { target: "permission_rule", label: "Rule updated" },
  "permission.moved": { target: "permission_rule", label: "Rule moved" },
  "permission.deleted": { target: "permission_rule", label: "Rule deleted" },
  "permission.promoted": { target: "permission_rule", label: "Shadow rule promoted" },
  "approval.requested": { target: "approval_request", label: "Approval requested" },
  "approval.approved": { target: "approval_request", label: "Approval granted" },
  "approval.denied": { target: "approval_request", label: "Approval denied" },
  "approval.expired": { target: "approval_request", label: "Approval expired" },
  "approval.redeemed": { target: "approval_request", label: "Approval redeemed" },
  "mcp.server_registered": { target: "mcp_server", label: "MCP server registered" },
  "mcp.tools_imported": { target: "mcp_server", label: "MCP tools imported" },
  "mcp.tool_accepted": { target: "mcp_tool", label: "Tool change accepted" },
  "mcp.tool_rejected": { target: "mcp_tool", label: "Tool change rejected" },
  "decision.denied": { target: "decision", label: "Action denied" },
  "decision.degraded": { target: "decision", label: "Action degraded" },
  "rate_limit.exceeded": { target: "rate_limit", label: "Rate limit exceeded" },
  "budget.created": { target: "budget", label: "Budget created" },
  "budget.updated": { target: "budget", label: "Budget updated" },
  "budget.archived": { target: "budget", label: "Budget archived" },
  "budget.threshold_crossed": { target: "budget", label: "Threshold crossed" },
  "price.created": { target: "model_price", label: "Price added" },
  "price.updated": { target: "model_price", label: "Price updated" },
  "team.created": { target: "team", label: "Team created" },
  "team.renamed": { target: "team", label: "Team renamed" },
  "user.created": { target: "user", label: "Person added" },
  "user.updated": { target: "user", label: "Person updated" },
  "user.deactivated": { target: "user", label: "Person deactivated" },
  "user.reactivated": { target: "user", label: "Person reactivated" },
  "user.signed_in": { target: "user", label: "Signed in" },
  "user.sign_in_failed": { target: "user", label: "Sign-in failed" },
  "user.password_changed": { target: "user", label: "Password changed" },
  "user.sessions_revoked": { target: "user", label: "Sessions revoked" },
  "token.created": { target: "personal_access_token", label: "Token created" },
  "token.revoked": { target: "personal_access_token", label: "Token revoked" },
  "token.refused": { target: "personal_access_token", label: "Token refused a credential" },
  "webhook.created": { target: "webhook_endpoint", label: "Webhook added" },
  "webhook.deleted": { target: "webhook_endpoint", label: "Webhook deleted" },
  "webhook.test_sent": { target: "webhook_endpoint", label: "Test webhook sent" },
  "settings.updated": { target: "org_settings", label: "Settings updated" },
  "audit.exported": { target: "audit_trail", label: "Audit trail exported" },
  "audit.evidence_exported": { target: "audit_trail", label: "Evidence pack exported" },
  "audit.sink_added": { target: "audit_sink", label: "SIEM sink added" },
  "audit.sink_deleted": { target: "audit_sink", label: "SIEM sink deleted" },
  "config.applied": { target: "config_plan", label: "Configuration applied" },
  "outcome_type.created": { target: "outcome_type", label: "Outcome type defined" },
  "outcome_type.updated": { target: "outcome_type", label: "Outcome type updated" },
  "outcome_type.cost_exceeded": { target: "outcome_type", label: "Cost per outcome exceeded" },
  "resource.created": { target: "resource", label: "Resource catalogued" },
  "resource.updated": { target: "resource", label: "Resource updated" },
  "lineage.subject_read": { target: "person", label: "What agents did for a person read" },
  "retention.pruned": { target: "org_settings", label: "Data past retention deleted" },
} as const satisfies Record<string, { target: string; label: string }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export type AuditTargetType<A extends AuditAction = AuditAction> = (typeof AUDIT_ACTIONS)[A]["target"];

/** An action with the target type it must carry: a union, so a mismatched pair does not compile. */
export type AuditActionTarget = { [A in AuditAction]: { action: A; targetType: AuditTargetType<A> } }[AuditAction];

type AreaOf<A extends string> = A extends `${infer Area}.${string}` ? Area : never;

/** The part of an action before the dot, with a heading for pickers, in the order pickers show them. */
export const AUDIT_AREAS = {
  agent: "Agents",
  version: "Versions",
  eval: "Evals",
  deployment: "Deployments",
  change: "Change requests",
  policy: "Environment policies",
  key: "Agent keys",
  permission: "Permissions",
  approval: "Runtime approvals",
  mcp: "Tool catalog",
  decision: "Decisions",
  rate_limit: "Rate limits",
  budget: "Budgets",
  price: "Model prices",
  team: "Teams",
  user: "People",
  token: "Access tokens",
  webhook: "Webhooks",
  settings: "Settings",
  audit: "Audit trail",
  config: "Configuration as code",
  outcome_type: "Outcome types",
  resource: "Resources",
  lineage: "Lineage",
  retention: "Retention",
} as const satisfies Record<AreaOf<AuditAction>, string>;
export type AuditArea = keyof typeof AUDIT_AREAS;

/**
 * Routine sign-ins: one per person per session, so they flood the top of the trail. The console hides them by
 * default (`excludeSignIns`). Failed sign-ins are not here: they are a security signal and always stay visible.
 */
export const SIGN_IN_ACTIONS = ["user.signed_in"] as const satisfies readonly AuditAction[];

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

/** A filter value for a whole area: the area and a dot, matching every action that starts with it. */
export const AUDIT_AREA_FILTERS = Object.keys(AUDIT_AREAS).map((area) => `${area}.`) as [
  `${AuditArea}.`,
  ...`${AuditArea}.`[],
];

/** The actions of each area, in catalogue order, for a picker with one group per area. */
export const auditActionGroups = () =>
  (Object.entries(AUDIT_AREAS) as [AuditArea, string][]).map(([area, heading]) => ({
    area,
    heading,
    filter: `${area}.`,
    actions: AUDIT_ACTION_NAMES.filter((a) => a.startsWith(`${area}.`)).map((action) => ({
      action,
      label: AUDIT_ACTIONS[action].label,
    })),
  }));
