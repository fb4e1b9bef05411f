/**
 * Every machine code an error answer can carry, with the kind it is raised as (lib/http/errors.ts maps each kind to
 * one HTTP status). `DomainError` only takes codes from here, and the OpenAPI Error schema lists them as an enum:
 * a client can switch on `error.code` knowing every value. Keep codes stable: clients depend on them.
 */

/** What went wrong, as far as the caller is concerned; each kind is one HTTP status. */
export type DomainErrorKind =
  | "validation"
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "rate_limited";

/** `internal` is the 500 answered for anything unexpected; it is never raised as a DomainError. */
export type ErrorKind = DomainErrorKind | "internal";

export const ERROR_CATALOGUE = {
  // The request itself (lib/http, proxy.ts)
  validation_failed: "validation",
  invalid_json: "validation",
  too_deep: "validation",
  lone_surrogate: "validation",
  nul_character: "validation",
  body_unreadable: "validation",
  bad_path: "bad_request",
  payload_too_large: "too_large",
  unsupported_media_type: "unsupported_media_type",
  cross_origin: "forbidden",
  rate_limited: "rate_limited",
  internal_error: "internal",
  // Only with ACP_VALIDATE_RESPONSES=1 (the tests): an answer that does not match its declared schema.
  response_schema: "internal",
  // Importing an MCP server's tools over the protocol
  mcp_unreachable: "validation",
  // OTLP ingestion
  invalid_gzip: "bad_request",
  invalid_otlp: "bad_request",
  invalid_authzen_request: "bad_request",
  unsupported_encoding: "unsupported_media_type",
  // Who is asking, and may they
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  password_change_required: "forbidden",
  token_scope: "forbidden",
  session_required: "forbidden",
  recent_sign_in_required: "forbidden",
  admin_password: "forbidden",
  own_password: "forbidden",
  self_approval: "forbidden",
  agent_suspended: "forbidden",
  // 409 when writing to a retired agent; 403 when a retired agent asks for its runtime config
  agent_retired: ["conflict", "forbidden"],
  not_found: "not_found",
  no_deployed_version: "not_found",
  // The state of things forbids it
  slug_taken: "conflict",
  checkpoint_refused: "conflict",
  email_taken: "conflict",
  // A unique value taken by a concurrent write between a command's check and its insert
  already_exists: "conflict",
  last_admin: "conflict",
  cannot_deactivate_self: "conflict",
  sso_only: "conflict",
  sso_not_linked: "conflict",
  password_changed: "conflict",
  promotion_pending: "conflict",
  password_not_own: "conflict",
  request_closed: "conflict",
  tool_changed: "conflict",
  approval_expired: "conflict",
  request_stale: "conflict",
  settings_changed: "conflict",
  already_deployed: "conflict",
  eval_gate_failed: "conflict",
  budget_archived: "conflict",
  run_id_reused: "conflict",
  // At most so many webhook endpoints, or SIEM sinks (each is written to inside runtime transactions)
  limit_reached: "conflict",
  // Deleting a SIEM sink that has not yet received its own deletion request (approve with a note saying why)
  sink_behind: "conflict",
  key_inactive: "conflict",
  // Promoting a rule that is already enforced
  rule_not_shadow: "conflict",
  // Canaries: one at a time (and one request waiting at a time), on a deployed agent
  canary_conflict: "conflict",
  // Configuration as code: the live state moved since the plan; two live objects share the name a document matches by
  plan_stale: "conflict",
  config_ambiguous: "conflict",
  // Outcomes: a type that is not defined (or archived), or that the agent is not listed to report
  unknown_outcome_type: "validation",
  outcome_type_not_allowed: "validation",
  outcome_type_exists: "conflict",
  resource_exists: "conflict",
  // Settings: the zone changed too often while periods cut before still run
  zone_changes_pending: "conflict",
} as const satisfies Record<string, ErrorKind | readonly ErrorKind[]>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The kind(s) a code is raised as. */
export type KindOf<C extends ErrorCode> = (typeof ERROR_CATALOGUE)[C] extends infer K
  ? K extends readonly (infer E)[]
    ? E
    : K
  : never;

/** Codes raised as kind K, e.g. `CodeOfKind<"conflict">`. */
export type CodeOfKind<K extends ErrorKind> = { [C in ErrorCode]: K extends KindOf<C> ? C : never }[ErrorCode];

/** The codes a DomainError may carry (all but the 500's). */
export type DomainErrorCode = CodeOfKind<DomainErrorKind>;

/** Every code, for `z.enum(ERROR_CODES)` in the OpenAPI Error schema. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

/** The kinds a code may be raised as (one, except for a few codes answered differently by context). */
export const kindsOf = (code: ErrorCode): readonly ErrorKind[] => {
  const k: ErrorKind | readonly ErrorKind[] = ERROR_CATALOGUE[code];
  return typeof k === "string" ? [k] : k;
};
