import { openApiDocument, type RouteModule } from "@/lib/http/openapi";
import * as agents from "../agents/route";
import * as agentsId from "../agents/[id]/route";
import * as agentsIdDeployments from "../agents/[id]/deployments/route";
import * as agentsIdKeys from "../agents/[id]/keys/route";
import * as agentsIdKeysKeyId from "../agents/[id]/keys/[keyId]/route";
import * as agentsIdKeysKeyIdRotate from "../agents/[id]/keys/[keyId]/rotate/route";
import * as agentsIdPermissions from "../agents/[id]/permissions/route";
import * as agentsIdPermissionsRuleId from "../agents/[id]/permissions/[ruleId]/route";
import * as agentsIdPermissionsRuleIdMove from "../agents/[id]/permissions/[ruleId]/move/route";
import * as agentsIdPermissionsTemplates from "../agents/[id]/permissions/templates/route";
import * as agentsIdResume from "../agents/[id]/resume/route";
import * as agentsIdRetire from "../agents/[id]/retire/route";
import * as agentsIdSimulate from "../agents/[id]/simulate/route";
import * as agentsIdSuspend from "../agents/[id]/suspend/route";
import * as agentsIdVersions from "../agents/[id]/versions/route";
import * as agentsIdVersionsNumberEvals from "../agents/[id]/versions/[number]/evals/route";
import * as auditEvents from "../audit/events/route";
import * as auditEventsPosition from "../audit/events/[position]/route";
import * as auditExport from "../audit/export/route";
import * as auditVerify from "../audit/verify/route";
import * as budgets from "../budgets/route";
import * as budgetsId from "../budgets/[id]/route";
import * as budgetsIdArchive from "../budgets/[id]/archive/route";
import * as changeRequests from "../change-requests/route";
import * as changeRequestsIdApprove from "../change-requests/[id]/approve/route";
import * as changeRequestsIdReject from "../change-requests/[id]/reject/route";
import * as deploymentGates from "../deployment-gates/route";
import * as deploymentRequests from "../deployment-requests/route";
import * as deploymentRequestsIdApprove from "../deployment-requests/[id]/approve/route";
import * as deploymentRequestsIdReject from "../deployment-requests/[id]/reject/route";
import * as environmentPolicies from "../environment-policies/route";
import * as notifications from "../notifications/route";
import * as notificationsRead from "../notifications/read/route";
import * as otlpV1Traces from "../otlp/v1/traces/route";
import * as runtimeAuthorize from "../runtime/authorize/route";
import * as runtimeConfig from "../runtime/config/route";
import * as runtimeUsage from "../runtime/usage/route";
import * as settings from "../settings/route";
import * as spend from "../spend/route";
import * as spendBreakdown from "../spend/breakdown/route";
import * as spendBurn from "../spend/burn/route";
import * as spendExport from "../spend/export/route";
import * as teams from "../teams/route";
import * as teamsId from "../teams/[id]/route";
import * as users from "../users/route";
import * as usersId from "../users/[id]/route";
import * as usersIdDeactivate from "../users/[id]/deactivate/route";
import * as usersIdReactivate from "../users/[id]/reactivate/route";
import * as usersIdSessionsRevoke from "../users/[id]/sessions/revoke/route";
import * as webhooks from "../webhooks/route";
import * as webhooksId from "../webhooks/[id]/route";
import * as webhooksIdTest from "../webhooks/[id]/test/route";

/**
 * Every documented route module, keyed by its folder under app/: the one list to extend when adding a route file.
 * The OpenAPI document is generated from the declarations these modules export, and openapi.test.ts fails when a
 * route file is neither here nor in UNDOCUMENTED, or a key does not name its module's folder.
 */
export const ROUTES: Record<string, RouteModule> = {
  "/api/v1/agents": agents,
  "/api/v1/agents/[id]": agentsId,
  "/api/v1/agents/[id]/deployments": agentsIdDeployments,
  "/api/v1/agents/[id]/keys": agentsIdKeys,
  "/api/v1/agents/[id]/keys/[keyId]": agentsIdKeysKeyId,
  "/api/v1/agents/[id]/keys/[keyId]/rotate": agentsIdKeysKeyIdRotate,
  "/api/v1/agents/[id]/permissions": agentsIdPermissions,
  "/api/v1/agents/[id]/permissions/[ruleId]": agentsIdPermissionsRuleId,
  "/api/v1/agents/[id]/permissions/[ruleId]/move": agentsIdPermissionsRuleIdMove,
  "/api/v1/agents/[id]/permissions/templates": agentsIdPermissionsTemplates,
  "/api/v1/agents/[id]/resume": agentsIdResume,
  "/api/v1/agents/[id]/retire": agentsIdRetire,
  "/api/v1/agents/[id]/simulate": agentsIdSimulate,
  "/api/v1/agents/[id]/suspend": agentsIdSuspend,
  "/api/v1/agents/[id]/versions": agentsIdVersions,
  "/api/v1/agents/[id]/versions/[number]/evals": agentsIdVersionsNumberEvals,
  "/api/v1/audit/events": auditEvents,
  "/api/v1/audit/events/[position]": auditEventsPosition,
  "/api/v1/audit/export": auditExport,
  "/api/v1/audit/verify": auditVerify,
  "/api/v1/budgets": budgets,
  "/api/v1/budgets/[id]": budgetsId,
  "/api/v1/budgets/[id]/archive": budgetsIdArchive,
  "/api/v1/change-requests": changeRequests,
  "/api/v1/change-requests/[id]/approve": changeRequestsIdApprove,
  "/api/v1/change-requests/[id]/reject": changeRequestsIdReject,
  "/api/v1/deployment-gates": deploymentGates,
  "/api/v1/deployment-requests": deploymentRequests,
  "/api/v1/deployment-requests/[id]/approve": deploymentRequestsIdApprove,
  "/api/v1/deployment-requests/[id]/reject": deploymentRequestsIdReject,
  "/api/v1/environment-policies": environmentPolicies,
  "/api/v1/notifications": notifications,
  "/api/v1/notifications/read": notificationsRead,
  "/api/v1/otlp/v1/traces": otlpV1Traces,
  "/api/v1/runtime/authorize": runtimeAuthorize,
  "/api/v1/runtime/config": runtimeConfig,
  "/api/v1/runtime/usage": runtimeUsage,
  "/api/v1/settings": settings,
  "/api/v1/spend": spend,
  "/api/v1/spend/breakdown": spendBreakdown,
  "/api/v1/spend/burn": spendBurn,
  "/api/v1/spend/export": spendExport,
  "/api/v1/teams": teams,
  "/api/v1/teams/[id]": teamsId,
  "/api/v1/users": users,
  "/api/v1/users/[id]": usersId,
  "/api/v1/users/[id]/deactivate": usersIdDeactivate,
  "/api/v1/users/[id]/reactivate": usersIdReactivate,
  "/api/v1/users/[id]/sessions/revoke": usersIdSessionsRevoke,
  "/api/v1/webhooks": webhooks,
  "/api/v1/webhooks/[id]": webhooksId,
  "/api/v1/webhooks/[id]/test": webhooksIdTest,
};

/** Route files outside the document, and why. */
export const UNDOCUMENTED: Record<string, string> = {
  "/api/auth/[...nextauth]": "next-auth's own sign-in endpoints",
  "/api/health": "liveness probe for load balancers",
  "/api/ready": "readiness probe for load balancers",
  "/api/v1/health": "liveness probe (kept for monitors set up before /api/health)",
  "/api/v1/openapi.json": "this document",
};

let cached: ReturnType<typeof openApiDocument> | null = null;
/** The document served at /api/v1/openapi.json and rendered by the console's API reference. */
export function apiDocument() {
  cached ??= openApiDocument(ROUTES);
  return cached;
}
