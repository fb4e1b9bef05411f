import "server-only";
import { z } from "zod";
import { createDocument } from "zod-openapi";
import { RetireSchema } from "@/lib/domain/agents/retire-agent";
import { ListAgentsQuerySchema, RegisterAgentSchema, UpdateAgentSchema } from "@/lib/domain/agents/schemas";
import { AuditExportQuerySchema, AuditListQuerySchema } from "@/lib/domain/audit/schemas";
import { BudgetInputSchema, BudgetUpdateSchema, ListBudgetsQuerySchema } from "@/lib/domain/budgets/schemas";
import { ChangeRequestQuerySchema } from "@/lib/domain/changes/schemas";
import { AuthorizeRequestSchema, DECISION_CODES, SimulateRequestSchema } from "@/lib/domain/decisions/schemas";
import { DeployInputSchema } from "@/lib/domain/deployments/deploy-version";
import { EnvironmentPolicyInputSchema, EvalRunInputSchema, RequiredSuitesSchema } from "@/lib/domain/evals/schemas";
import { CreateAgentKeySchema, RotateAgentKeySchema } from "@/lib/domain/keys/schemas";
import { MoveRuleSchema, PermissionRuleInputSchema } from "@/lib/domain/permissions/schemas";
import { RULE_TEMPLATES } from "@/lib/domain/permissions/templates";
import { OrgSettingsInputSchema } from "@/lib/domain/settings/update-org-settings";
import { SpendBreakdownQuerySchema, SpendQuerySchema } from "@/lib/domain/spend/schemas";
import { TeamInputSchema, TeamUpdateSchema } from "@/lib/domain/teams/schemas";
import { UsageBatchSchema } from "@/lib/domain/usage/schemas";
import { ListUsersQuerySchema, UserInputSchema, UserStatusSchema, UserUpdateSchema } from "@/lib/domain/users/schemas";
import { VersionInputSchema } from "@/lib/domain/versions/schemas";
import { WebhookEndpointInputSchema } from "@/lib/domain/webhooks/schemas";

// Request bodies are the very zod schemas the domain functions validate with; responses are described here.
const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({
    id: "Error",
    description: "Every error: a machine code, a human message, and field errors in details for 422.",
  });

const AgentSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    teamId: z.string(),
    environment: z.enum(["dev", "staging", "prod"]),
    status: z.enum(["active", "suspended", "retired"]),
    ownerId: z.string().nullable(),
    deployedVersion: z.number().int().nullable(),
    spendThisMonthUsd: z.number().optional(),
    lastActivityAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Agent" });

const PersonSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(["admin", "team_lead", "auditor", "viewer"]),
    status: z.enum(["active", "disabled"]),
    signIn: z.enum(["password", "sso"]),
    teamIds: z.array(z.string()),
    teams: z.array(z.object({ id: z.string(), name: z.string() })),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Person", description: "Never carries a password hash." });

const KeySchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    rotatedToId: z.string().nullable(),
  })
  .meta({ id: "AgentKey" });
const NewKeySchema = KeySchema.extend({
  token: z.string().meta({ description: "The secret, shown only in this response." }),
}).meta({ id: "NewAgentKey" });

const AuthorizeResponseSchema = z
  .object({
    decisionId: z.string(),
    decision: z.enum(["allow", "deny", "degrade"]),
    reason: z.string(),
    code: z.enum(DECISION_CODES),
    ruleId: z.string().optional(),
    budgetId: z.string().optional(),
    model: z.string().optional().meta({ description: "The model to use: the fallback model when degraded." }),
    budget: z
      .object({ remainingUsd: z.number(), period: z.enum(["day", "week", "month"]), resetsAt: z.iso.datetime() })
      .optional(),
  })
  .meta({ id: "AuthorizeResponse" });

const UsageResponseSchema = z
  .object({ accepted: z.number().int(), duplicates: z.number().int(), unpriced: z.number().int(), costUsd: z.number() })
  .meta({ id: "UsageResponse" });

const ConfigResponseSchema = z
  .object({
    agent: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      status: z.string(),
      environment: z.string(),
    }),
    version: z.object({ number: z.number().int(), createdAt: z.iso.datetime() }),
    config: z.object({
      model: z.string(),
      fallbackModel: z.string().nullable(),
      systemPrompt: z.string(),
      tools: z.array(z.string()),
      parameters: z.record(z.string(), z.unknown()),
      extra: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: "RuntimeConfig" });

const VerifySchema = z
  .object({
    intact: z.boolean(),
    checked: z.number().int(),
    headPosition: z.string(),
    break: z
      .object({ position: z.string(), reason: z.enum(["hash_mismatch", "broken_link", "missing_position"]) })
      .nullable(),
  })
  .meta({ id: "ChainReport" });

const json = (schema: z.ZodType, description = "OK") => ({ description, content: { "application/json": { schema } } });
const ERROR_TEXT = {
  400: "Undecodable body",
  401: "Unauthenticated",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  415: "Unsupported media type",
  422: "Invalid input",
  429: "Rate limited (see Retry-After)",
} as const;
const errors = (...codes: (keyof typeof ERROR_TEXT)[]) =>
  Object.fromEntries(codes.map((c) => [String(c), json(ErrorSchema, ERROR_TEXT[c])]));
const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema } } });
const agentKey = [{ agentKey: [] }];
const person: Record<string, string[]>[] = [{ personalToken: [] }, { session: [] }];
const idParam = { path: z.object({ id: z.string().meta({ description: "Agent id or slug" }) }) };
const keyParams = { path: z.object({ id: z.string(), keyId: z.string() }) };
const versionParams = { path: z.object({ id: z.string(), number: z.string() }) };
const ruleParams = { path: z.object({ id: z.string(), ruleId: z.string() }) };

let cached: ReturnType<typeof createDocument> | null = null;

export function openApiDocument() {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "Agent Control Plane API",
      version: "1.0.0",
      description: "Runtime endpoints take an agent key; the rest take a personal access token or the console session.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        agentKey: { type: "http", scheme: "bearer", description: "An agent key: acp_ak_…" },
        personalToken: { type: "http", scheme: "bearer", description: "A personal access token: acp_pat_…" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths: {
      "/api/v1/runtime/config": {
        get: {
          tags: ["runtime"],
          summary: "The deployed version's config",
          security: agentKey,
          requestParams: { header: z.object({ "if-none-match": z.string().optional() }) },
          responses: {
            "200": json(ConfigResponseSchema),
            "304": { description: "Not modified (ETag matched)" },
            ...errors(401, 403, 404),
          },
        },
      },
      "/api/v1/runtime/authorize": {
        post: {
          tags: ["runtime"],
          summary: "May I? Evaluates rules and budgets, reserves the estimate",
          security: agentKey,
          requestBody: body(AuthorizeRequestSchema),
          responses: { "200": json(AuthorizeResponseSchema), ...errors(401, 422) },
        },
      },
      "/api/v1/runtime/usage": {
        post: {
          tags: ["runtime"],
          summary:
            "Report usage (up to 1,000 events, all or nothing, idempotent on event id; timestamps at most 5 minutes ahead and USAGE_LATE_ARRIVAL_DAYS, default 7, days back, else 422 naming the field; usage naming a decisionId is charged to that decision's budget period)",
          security: agentKey,
          requestBody: body(UsageBatchSchema),
          responses: { "200": json(UsageResponseSchema), ...errors(401, 422) },
        },
      },
      "/api/v1/agents": {
        get: {
          tags: ["agents"],
          summary: "List agents (keyset pagination)",
          security: person,
          requestParams: { query: ListAgentsQuerySchema },
          responses: {
            "200": json(z.object({ items: z.array(AgentSchema), nextCursor: z.string().nullable() })),
            ...errors(401, 422),
          },
        },
        post: {
          tags: ["agents"],
          summary: "Register an agent with its config as version 1",
          security: person,
          requestBody: body(RegisterAgentSchema),
          responses: { "201": json(AgentSchema, "Created"), ...errors(401, 403, 409, 422) },
        },
      },
      "/api/v1/agents/{id}": {
        get: {
          tags: ["agents"],
          summary: "One agent",
          security: person,
          requestParams: idParam,
          responses: { "200": json(AgentSchema), ...errors(401, 404) },
        },
        patch: {
          tags: ["agents"],
          summary: "Edit an agent's metadata",
          security: person,
          requestParams: idParam,
          requestBody: body(UpdateAgentSchema),
          responses: { "200": json(AgentSchema), ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/suspend": {
        post: {
          tags: ["agents"],
          summary: "Kill switch: suspend the agent",
          security: person,
          requestParams: idParam,
          requestBody: body(z.object({ reason: z.string() })),
          responses: { "200": json(AgentSchema), ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/retire": {
        post: {
          tags: ["agents"],
          summary:
            "Retire for good: keys revoked, pending deployment requests rejected, cannot be resumed (409 agent_retired when already)",
          security: person,
          requestParams: idParam,
          requestBody: body(RetireSchema),
          responses: { "200": json(AgentSchema), ...errors(401, 403, 404, 409, 422) },
        },
      },
      "/api/v1/agents/{id}/resume": {
        post: {
          tags: ["agents"],
          summary: "Resume a suspended agent",
          security: person,
          requestParams: idParam,
          responses: { "200": json(AgentSchema), ...errors(401, 403, 404) },
        },
      },
      "/api/v1/agents/{id}/versions": {
        get: {
          tags: ["versions"],
          summary: "Every version, newest first",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "OK" }, ...errors(401, 404) },
        },
        post: {
          tags: ["versions"],
          summary: "Create the next immutable version (not deployed)",
          security: person,
          requestParams: idParam,
          requestBody: body(VersionInputSchema),
          responses: { "201": { description: "Created" }, ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/deployments": {
        get: {
          tags: ["versions"],
          summary: "Deployment history, newest first",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "OK" }, ...errors(401, 404) },
        },
        post: {
          tags: ["versions"],
          summary: "Deploy a version, or roll back to an older one (reason required)",
          security: person,
          requestParams: idParam,
          requestBody: body(DeployInputSchema),
          responses: {
            "201": { description: "Deployed" },
            "202": { description: "Four-eyes: a pending request was created" },
            ...errors(401, 403, 404, 409, 422),
          },
        },
      },
      "/api/v1/agents/{id}/versions/{number}/evals": {
        get: {
          tags: ["evals"],
          summary: "Eval runs recorded on a version, newest first",
          security: person,
          requestParams: versionParams,
          responses: { "200": { description: "OK" }, ...errors(401, 404) },
        },
        post: {
          tags: ["evals"],
          summary:
            "Record an eval run (admins or the agent's team leads; a CI token scoped to evals:write works). Idempotent on runId: 201 recorded, 200 already recorded, 409 runId reused with other results",
          security: person,
          requestParams: versionParams,
          requestBody: body(EvalRunInputSchema),
          responses: {
            "201": { description: "Recorded" },
            "200": { description: "Already recorded" },
            ...errors(401, 403, 404, 409, 422),
          },
        },
      },
      "/api/v1/deployment-gates": {
        get: {
          tags: ["evals"],
          summary: "Per environment, the eval suites a version must have passed to be deployed there",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
        put: {
          tags: ["evals"],
          summary: "Set one environment's required suites",
          security: person,
          requestBody: body(RequiredSuitesSchema),
          responses: {
            "200": { description: "OK" },
            "202": { description: "Dropping a suite waits for a second admin" },
            ...errors(401, 403, 422),
          },
        },
      },
      "/api/v1/environment-policies": {
        get: {
          tags: ["versions"],
          summary: "Per environment, whether a deployment there needs a second admin's approval (four-eyes)",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
        put: {
          tags: ["versions"],
          summary: "Turn four-eyes on (immediate) or off (202: a change request another admin must approve)",
          security: person,
          requestBody: body(EnvironmentPolicyInputSchema),
          responses: {
            "200": { description: "Applied" },
            "202": { description: "Waiting for a second admin" },
            ...errors(401, 403, 422),
          },
        },
      },
      "/api/v1/change-requests": {
        get: {
          tags: ["versions"],
          summary:
            "Four-eyes change requests (default: pending): deployments and rollbacks in a four-eyes environment, turning four-eyes off or dropping required suites, moving an agent with a live version into a four-eyes environment, making someone an admin",
          security: person,
          requestParams: { query: ChangeRequestQuerySchema },
          responses: { "200": { description: "OK" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/change-requests/{id}/approve": {
        post: {
          tags: ["versions"],
          summary: "Approve (another admin than the requester): applies the change in the same transaction",
          security: person,
          requestParams: { path: z.object({ id: z.string() }) },
          requestBody: body(z.object({ note: z.string().optional() })),
          responses: { "200": { description: "Approved" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/change-requests/{id}/reject": {
        post: {
          tags: ["versions"],
          summary: "Reject or withdraw a pending request",
          security: person,
          requestParams: { path: z.object({ id: z.string() }) },
          requestBody: body(z.object({ note: z.string().optional() })),
          responses: { "200": { description: "Rejected" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/deployment-requests": {
        get: {
          tags: ["versions"],
          summary: "The deployment requests among the change requests (default: pending)",
          security: person,
          requestParams: { query: z.object({ status: z.enum(["pending", "approved", "rejected"]).optional() }) },
          responses: { "200": { description: "OK" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/deployment-requests/{id}/approve": {
        post: {
          tags: ["versions"],
          summary: "Same as /change-requests/{id}/approve",
          security: person,
          requestParams: { path: z.object({ id: z.string() }) },
          requestBody: body(z.object({ note: z.string().optional() })),
          responses: { "200": { description: "Approved" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/deployment-requests/{id}/reject": {
        post: {
          tags: ["versions"],
          summary: "Same as /change-requests/{id}/reject",
          security: person,
          requestParams: { path: z.object({ id: z.string() }) },
          requestBody: body(z.object({ note: z.string().optional() })),
          responses: { "200": { description: "Rejected" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/agents/{id}/permissions": {
        get: {
          tags: ["permissions"],
          summary: "The agent's rules, in order",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "OK" }, ...errors(401, 404) },
        },
        post: {
          tags: ["permissions"],
          summary: "Append a rule",
          security: person,
          requestParams: idParam,
          requestBody: body(PermissionRuleInputSchema),
          responses: { "201": { description: "Created" }, ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/permissions/{ruleId}": {
        patch: {
          tags: ["permissions"],
          summary: "Replace a rule's effect, patterns and conditions",
          security: person,
          requestParams: ruleParams,
          requestBody: body(PermissionRuleInputSchema),
          responses: { "200": { description: "OK" }, ...errors(401, 403, 404, 422) },
        },
        delete: {
          tags: ["permissions"],
          summary: "Delete a rule (later rules move up)",
          security: person,
          requestParams: ruleParams,
          responses: { "200": { description: "Deleted" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/agents/{id}/permissions/{ruleId}/move": {
        post: {
          tags: ["permissions"],
          summary: "Swap a rule with its neighbour",
          security: person,
          requestParams: ruleParams,
          requestBody: body(MoveRuleSchema),
          responses: { "200": { description: "The rules in their new order" }, ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/permissions/templates": {
        get: {
          tags: ["permissions"],
          summary: "Rule templates",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
        post: {
          tags: ["permissions"],
          summary: "Append a template's rules",
          security: person,
          requestParams: idParam,
          requestBody: body(z.object({ template: z.enum(Object.keys(RULE_TEMPLATES) as [string, ...string[]]) })),
          responses: { "201": { description: "Created" }, ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/simulate": {
        post: {
          tags: ["permissions"],
          summary: "Decision simulator: what authorize would answer, writing nothing",
          security: person,
          requestParams: idParam,
          requestBody: body(SimulateRequestSchema),
          responses: {
            "200": { description: "The decision, the deciding rule or budget, and why the other rules did not match" },
            ...errors(401, 404, 422),
          },
        },
      },
      "/api/v1/agents/{id}/keys": {
        get: {
          tags: ["keys"],
          summary: "The agent's keys (never their secrets)",
          security: person,
          requestParams: idParam,
          responses: { "200": json(z.object({ items: z.array(KeySchema) })), ...errors(401, 404) },
        },
        post: {
          tags: ["keys"],
          summary: "Issue a key (the secret is returned once)",
          security: person,
          requestParams: idParam,
          requestBody: body(CreateAgentKeySchema),
          responses: { "201": json(NewKeySchema, "Created"), ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/agents/{id}/keys/{keyId}": {
        delete: {
          tags: ["keys"],
          summary: "Revoke a key at once",
          security: person,
          requestParams: keyParams,
          responses: { "200": json(KeySchema), ...errors(401, 403, 404) },
        },
      },
      "/api/v1/agents/{id}/keys/{keyId}/rotate": {
        post: {
          tags: ["keys"],
          summary: "Rotate: a new key now, the old one for a grace period",
          security: person,
          requestParams: keyParams,
          requestBody: body(RotateAgentKeySchema),
          responses: { "201": json(NewKeySchema, "Created"), ...errors(401, 403, 404, 409, 422) },
        },
      },
      "/api/v1/budgets": {
        get: {
          tags: ["budgets"],
          summary: "Budgets with this period's spent, reserved, remaining and reset time",
          security: person,
          requestParams: { query: ListBudgetsQuerySchema },
          responses: { "200": { description: "OK" }, ...errors(401, 422) },
        },
        post: {
          tags: ["budgets"],
          summary: "Create a budget (team leads: their teams' agent and team budgets)",
          security: person,
          requestBody: body(BudgetInputSchema),
          responses: { "201": { description: "Created" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/budgets/{id}": {
        get: {
          tags: ["budgets"],
          summary: "One budget, with its recent threshold alerts",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "OK" }, ...errors(401, 404) },
        },
        patch: {
          tags: ["budgets"],
          summary: "Change name, period, limit, thresholds or hard action",
          security: person,
          requestParams: idParam,
          requestBody: body(BudgetUpdateSchema),
          responses: { "200": { description: "OK" }, ...errors(401, 403, 404, 409, 422) },
        },
      },
      "/api/v1/budgets/{id}/archive": {
        post: {
          tags: ["budgets"],
          summary: "Archive: the budget stops counting and alerting",
          security: person,
          requestParams: idParam,
          requestBody: body(z.object({ reason: z.string().optional() })),
          responses: { "200": { description: "OK" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/settings": {
        get: {
          tags: ["settings"],
          summary: "Organisation settings",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
        patch: {
          tags: ["settings"],
          summary: "Set the organisation time zone (budget periods start at its midnight)",
          security: person,
          requestBody: body(OrgSettingsInputSchema),
          responses: { "200": { description: "OK" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/notifications": {
        get: {
          tags: ["alerts"],
          summary: "Budget threshold alerts you may see, with the unread count",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
      },
      "/api/v1/notifications/read": {
        post: {
          tags: ["alerts"],
          summary: "Mark every alert read (for you)",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
      },
      "/api/v1/webhooks": {
        get: {
          tags: ["alerts"],
          summary: "Webhook endpoints with their latest deliveries (admins)",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401, 403) },
        },
        post: {
          tags: ["alerts"],
          summary:
            'Register an endpoint; the response holds its signing secret, shown once. Deliveries carry x-acp-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">',
          security: person,
          requestBody: body(WebhookEndpointInputSchema),
          responses: { "201": { description: "Created" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/webhooks/{id}": {
        delete: {
          tags: ["alerts"],
          summary: "Delete an endpoint and its delivery log",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "Deleted" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/webhooks/{id}/test": {
        post: {
          tags: ["alerts"],
          summary: "Send a webhook.test event now; returns the delivery with its status code",
          security: person,
          requestParams: idParam,
          responses: { "200": { description: "The delivery" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/spend": {
        get: {
          tags: ["spend"],
          summary:
            "Spend over time from hourly rollups, stacked by agent, team, model or tool (range and bucket required)",
          security: person,
          requestParams: { query: SpendQuerySchema },
          responses: { "200": { description: "Series, points and totals (USD)" }, ...errors(401, 422) },
        },
      },
      "/api/v1/spend/breakdown": {
        get: {
          tags: ["spend"],
          summary: "Top spenders with the change against the previous period of the same length",
          security: person,
          requestParams: { query: SpendBreakdownQuerySchema },
          responses: { "200": { description: "OK" }, ...errors(401, 422) },
        },
      },
      "/api/v1/spend/export": {
        get: {
          tags: ["spend"],
          summary: "The spend table as CSV",
          security: person,
          requestParams: { query: SpendBreakdownQuerySchema },
          responses: { "200": { description: "text/csv" }, ...errors(401, 422) },
        },
      },
      "/api/v1/spend/burn": {
        get: {
          tags: ["spend"],
          summary: "Each budget's spend this period and its forecast to the period end",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
      },
      "/api/v1/otlp/v1/traces": {
        post: {
          tags: ["runtime"],
          summary:
            "OTLP/HTTP traces (application/x-protobuf or application/json, gzip accepted): GenAI spans become usage events; answers ExportTraceServiceResponse with partial success",
          security: agentKey,
          responses: {
            "200": { description: "ExportTraceServiceResponse in the request's encoding" },
            ...errors(400, 401, 413, 415),
          },
        },
      },
      "/api/v1/audit/events": {
        get: {
          tags: ["audit"],
          summary: "Audit events, newest first (keyset pagination)",
          security: person,
          requestParams: { query: AuditListQuerySchema },
          responses: { "200": { description: "OK" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/audit/export": {
        get: {
          tags: ["audit"],
          summary: "Stream the matching events as CSV or NDJSON (oldest first; audited)",
          security: person,
          requestParams: { query: AuditExportQuerySchema },
          responses: { "200": { description: "text/csv or application/x-ndjson" }, ...errors(401, 403, 422) },
        },
      },
      "/api/v1/users": {
        get: {
          tags: ["people"],
          summary: "People who can sign in, by e-mail (admins and auditors; keyset pagination)",
          security: person,
          requestParams: { query: ListUsersQuerySchema },
          responses: {
            "200": json(z.object({ items: z.array(PersonSchema), nextCursor: z.string().nullable() })),
            ...errors(401, 403, 422),
          },
        },
        post: {
          tags: ["people"],
          summary: "Add a person with a role, teams and an optional first password (none: SSO only)",
          security: person,
          requestBody: body(UserInputSchema),
          responses: { "201": json(PersonSchema), ...errors(401, 403, 409, 422) },
        },
      },
      "/api/v1/users/{id}": {
        get: {
          tags: ["people"],
          summary: "One person",
          security: person,
          requestParams: idParam,
          responses: { "200": json(PersonSchema), ...errors(401, 403, 404) },
        },
        patch: {
          tags: ["people"],
          summary:
            "Change name, role, teams or password; applies from the person's next request (409 last_admin keeps one admin)",
          security: person,
          requestParams: idParam,
          requestBody: body(UserUpdateSchema),
          responses: { "200": json(PersonSchema), ...errors(401, 403, 404, 409, 422) },
        },
      },
      "/api/v1/users/{id}/deactivate": {
        post: {
          tags: ["people"],
          summary:
            "Deactivate: no sign-in, sessions end for good, tokens stop working (not yourself, not the last admin)",
          security: person,
          requestParams: idParam,
          requestBody: body(UserStatusSchema),
          responses: { "200": json(PersonSchema), ...errors(401, 403, 404, 409, 422) },
        },
      },
      "/api/v1/users/{id}/reactivate": {
        post: {
          tags: ["people"],
          summary: "Reactivate a deactivated person",
          security: person,
          requestParams: idParam,
          requestBody: body(UserStatusSchema),
          responses: { "200": json(PersonSchema), ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/users/{id}/sessions/revoke": {
        post: {
          tags: ["people"],
          summary:
            "Sign a person out everywhere: their console sessions end at their next request (tokens are not touched)",
          security: person,
          requestParams: idParam,
          requestBody: body(UserStatusSchema),
          responses: { "200": json(z.object({ revoked: z.number().int() })), ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/teams": {
        get: {
          tags: ["people"],
          summary: "Teams with their agent and people counts (team leads: their own)",
          security: person,
          responses: { "200": { description: "OK" }, ...errors(401) },
        },
        post: {
          tags: ["people"],
          summary: "Add a team",
          security: person,
          requestBody: body(TeamInputSchema),
          responses: { "201": { description: "Created" }, ...errors(401, 403, 409, 422) },
        },
      },
      "/api/v1/teams/{id}": {
        patch: {
          tags: ["people"],
          summary: "Rename a team (the slug stays: SSO maps groups to it)",
          security: person,
          requestParams: idParam,
          requestBody: body(TeamUpdateSchema),
          responses: { "200": { description: "OK" }, ...errors(401, 403, 404, 422) },
        },
      },
      "/api/v1/audit/verify": {
        get: {
          tags: ["audit"],
          summary: "Walk the hash chain and report the first broken position",
          security: person,
          responses: { "200": json(VerifySchema), ...errors(401, 403) },
        },
      },
    },
  });
  return cached;
}
