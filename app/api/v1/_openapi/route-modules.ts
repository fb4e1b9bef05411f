// Written by `npm run api:routes` from the route files under app/api: do not edit by hand.

import * as accessV1Evaluation from "@/app/access/v1/evaluation/route";
import * as accessV1Evaluations from "@/app/access/v1/evaluations/route";
import * as agentsIdAgentCardJson from "@/app/api/v1/agents/[id]/agent-card.json/route";
import * as agentsIdCanaryPromote from "@/app/api/v1/agents/[id]/canary/promote/route";
import * as agentsIdCanaryRollback from "@/app/api/v1/agents/[id]/canary/rollback/route";
import * as agentsIdCanary from "@/app/api/v1/agents/[id]/canary/route";
import * as agentsIdDeployments from "@/app/api/v1/agents/[id]/deployments/route";
import * as agentsIdKeysKeyIdRotate from "@/app/api/v1/agents/[id]/keys/[keyId]/rotate/route";
import * as agentsIdKeysKeyId from "@/app/api/v1/agents/[id]/keys/[keyId]/route";
import * as agentsIdKeys from "@/app/api/v1/agents/[id]/keys/route";
import * as agentsIdOutcomes from "@/app/api/v1/agents/[id]/outcomes/route";
import * as agentsIdPermissionsRuleIdMove from "@/app/api/v1/agents/[id]/permissions/[ruleId]/move/route";
import * as agentsIdPermissionsRuleIdPromote from "@/app/api/v1/agents/[id]/permissions/[ruleId]/promote/route";
import * as agentsIdPermissionsRuleId from "@/app/api/v1/agents/[id]/permissions/[ruleId]/route";
import * as agentsIdPermissionsRuleIdShadow from "@/app/api/v1/agents/[id]/permissions/[ruleId]/shadow/route";
import * as agentsIdPermissionsCedar from "@/app/api/v1/agents/[id]/permissions/cedar/route";
import * as agentsIdPermissionsReplay from "@/app/api/v1/agents/[id]/permissions/replay/route";
import * as agentsIdPermissions from "@/app/api/v1/agents/[id]/permissions/route";
import * as agentsIdPermissionsTemplates from "@/app/api/v1/agents/[id]/permissions/templates/route";
import * as agentsIdResources from "@/app/api/v1/agents/[id]/resources/route";
import * as agentsIdResume from "@/app/api/v1/agents/[id]/resume/route";
import * as agentsIdRetire from "@/app/api/v1/agents/[id]/retire/route";
import * as agentsId from "@/app/api/v1/agents/[id]/route";
import * as agentsIdSimulate from "@/app/api/v1/agents/[id]/simulate/route";
import * as agentsIdSuspend from "@/app/api/v1/agents/[id]/suspend/route";
import * as agentsIdVersionsNumberEvals from "@/app/api/v1/agents/[id]/versions/[number]/evals/route";
import * as agentsIdVersions from "@/app/api/v1/agents/[id]/versions/route";
import * as agents from "@/app/api/v1/agents/route";
import * as approvalsIdApprove from "@/app/api/v1/approvals/[id]/approve/route";
import * as approvalsIdDeny from "@/app/api/v1/approvals/[id]/deny/route";
import * as approvalsId from "@/app/api/v1/approvals/[id]/route";
import * as approvals from "@/app/api/v1/approvals/route";
import * as auditCheckpoints from "@/app/api/v1/audit/checkpoints/route";
import * as auditEventsPosition from "@/app/api/v1/audit/events/[position]/route";
import * as auditEvents from "@/app/api/v1/audit/events/route";
import * as auditEvidencePack from "@/app/api/v1/audit/evidence-pack/route";
import * as auditExport from "@/app/api/v1/audit/export/route";
import * as auditSinksId from "@/app/api/v1/audit/sinks/[id]/route";
import * as auditSinks from "@/app/api/v1/audit/sinks/route";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import * as budgetsIdArchive from "@/app/api/v1/budgets/[id]/archive/route";
import * as budgetsIdHistory from "@/app/api/v1/budgets/[id]/history/route";
import * as budgetsId from "@/app/api/v1/budgets/[id]/route";
import * as budgetsReplay from "@/app/api/v1/budgets/replay/route";
import * as budgets from "@/app/api/v1/budgets/route";
import * as changeRequestsIdApprove from "@/app/api/v1/change-requests/[id]/approve/route";
import * as changeRequestsIdReject from "@/app/api/v1/change-requests/[id]/reject/route";
import * as changeRequests from "@/app/api/v1/change-requests/route";
import * as configApply from "@/app/api/v1/config/apply/route";
import * as configExport from "@/app/api/v1/config/export/route";
import * as configPlan from "@/app/api/v1/config/plan/route";
import * as configSchema from "@/app/api/v1/config/schema/route";
import * as deploymentGatesEnvironment from "@/app/api/v1/deployment-gates/[environment]/route";
import * as deploymentGates from "@/app/api/v1/deployment-gates/route";
import * as deploymentRequestsIdApprove from "@/app/api/v1/deployment-requests/[id]/approve/route";
import * as deploymentRequestsIdReject from "@/app/api/v1/deployment-requests/[id]/reject/route";
import * as deploymentRequests from "@/app/api/v1/deployment-requests/route";
import * as environmentPolicies from "@/app/api/v1/environment-policies/route";
import * as lineageExport from "@/app/api/v1/lineage/export/route";
import * as lineage from "@/app/api/v1/lineage/route";
import * as mcpServersIdImport from "@/app/api/v1/mcp/servers/[id]/import/route";
import * as mcpServersId from "@/app/api/v1/mcp/servers/[id]/route";
import * as mcpServers from "@/app/api/v1/mcp/servers/route";
import * as mcpToolsIdAccept from "@/app/api/v1/mcp/tools/[id]/accept/route";
import * as mcpToolsIdReject from "@/app/api/v1/mcp/tools/[id]/reject/route";
import * as modelPrices from "@/app/api/v1/model-prices/route";
import * as notificationsRead from "@/app/api/v1/notifications/read/route";
import * as notifications from "@/app/api/v1/notifications/route";
import * as otlpV1Traces from "@/app/api/v1/otlp/v1/traces/route";
import * as outcomeTypesId from "@/app/api/v1/outcome-types/[id]/route";
import * as outcomeTypes from "@/app/api/v1/outcome-types/route";
import * as resourcesIdLineageExport from "@/app/api/v1/resources/[id]/lineage/export/route";
import * as resourcesIdLineage from "@/app/api/v1/resources/[id]/lineage/route";
import * as resourcesId from "@/app/api/v1/resources/[id]/route";
import * as resources from "@/app/api/v1/resources/route";
import * as runtimeApprovalsId from "@/app/api/v1/runtime/approvals/[id]/route";
import * as runtimeAuthorize from "@/app/api/v1/runtime/authorize/route";
import * as runtimeConfig from "@/app/api/v1/runtime/config/route";
import * as runtimeOutcomes from "@/app/api/v1/runtime/outcomes/route";
import * as runtimeUsage from "@/app/api/v1/runtime/usage/route";
import * as settings from "@/app/api/v1/settings/route";
import * as spendBreakdown from "@/app/api/v1/spend/breakdown/route";
import * as spendBurn from "@/app/api/v1/spend/burn/route";
import * as spendExport from "@/app/api/v1/spend/export/route";
import * as spendFocus from "@/app/api/v1/spend/focus/route";
import * as spend from "@/app/api/v1/spend/route";
import * as teamsId from "@/app/api/v1/teams/[id]/route";
import * as teams from "@/app/api/v1/teams/route";
import * as tokensId from "@/app/api/v1/tokens/[id]/route";
import * as tokens from "@/app/api/v1/tokens/route";
import * as usersIdDeactivate from "@/app/api/v1/users/[id]/deactivate/route";
import * as usersIdReactivate from "@/app/api/v1/users/[id]/reactivate/route";
import * as usersId from "@/app/api/v1/users/[id]/route";
import * as usersIdSessionsRevoke from "@/app/api/v1/users/[id]/sessions/revoke/route";
import * as usersIdSsoUnlink from "@/app/api/v1/users/[id]/sso/unlink/route";
import * as users from "@/app/api/v1/users/route";
import * as webhooksId from "@/app/api/v1/webhooks/[id]/route";
import * as webhooksIdTest from "@/app/api/v1/webhooks/[id]/test/route";
import * as webhooks from "@/app/api/v1/webhooks/route";
import type { RouteModule } from "@/lib/http/openapi";

/** Every documented route module, keyed by its folder under app/. */
export const ROUTES: Record<string, RouteModule> = {
  "/access/v1/evaluation": accessV1Evaluation,
  "/access/v1/evaluations": accessV1Evaluations,
  "/api/v1/agents": agents,
  "/api/v1/agents/[id]": agentsId,
  "/api/v1/agents/[id]/agent-card.json": agentsIdAgentCardJson,
  "/api/v1/agents/[id]/canary": agentsIdCanary,
  "/api/v1/agents/[id]/canary/promote": agentsIdCanaryPromote,
  "/api/v1/agents/[id]/canary/rollback": agentsIdCanaryRollback,
  "/api/v1/agents/[id]/deployments": agentsIdDeployments,
  "/api/v1/agents/[id]/keys": agentsIdKeys,
  "/api/v1/agents/[id]/keys/[keyId]": agentsIdKeysKeyId,
  "/api/v1/agents/[id]/keys/[keyId]/rotate": agentsIdKeysKeyIdRotate,
  "/api/v1/agents/[id]/outcomes": agentsIdOutcomes,
  "/api/v1/agents/[id]/permissions": agentsIdPermissions,
  "/api/v1/agents/[id]/permissions/[ruleId]": agentsIdPermissionsRuleId,
  "/api/v1/agents/[id]/permissions/[ruleId]/move": agentsIdPermissionsRuleIdMove,
  "/api/v1/agents/[id]/permissions/[ruleId]/promote": agentsIdPermissionsRuleIdPromote,
  "/api/v1/agents/[id]/permissions/[ruleId]/shadow": agentsIdPermissionsRuleIdShadow,
  "/api/v1/agents/[id]/permissions/cedar": agentsIdPermissionsCedar,
  "/api/v1/agents/[id]/permissions/replay": agentsIdPermissionsReplay,
  "/api/v1/agents/[id]/permissions/templates": agentsIdPermissionsTemplates,
  "/api/v1/agents/[id]/resources": agentsIdResources,
  "/api/v1/agents/[id]/resume": agentsIdResume,
  "/api/v1/agents/[id]/retire": agentsIdRetire,
  "/api/v1/agents/[id]/simulate": agentsIdSimulate,
  "/api/v1/agents/[id]/suspend": agentsIdSuspend,
  "/api/v1/agents/[id]/versions": agentsIdVersions,
  "/api/v1/agents/[id]/versions/[number]/evals": agentsIdVersionsNumberEvals,
  "/api/v1/approvals": approvals,
  "/api/v1/approvals/[id]": approvalsId,
  "/api/v1/approvals/[id]/approve": approvalsIdApprove,
  "/api/v1/approvals/[id]/deny": approvalsIdDeny,
  "/api/v1/audit/checkpoints": auditCheckpoints,
  "/api/v1/audit/events": auditEvents,
  "/api/v1/audit/events/[position]": auditEventsPosition,
  "/api/v1/audit/evidence-pack": auditEvidencePack,
  "/api/v1/audit/export": auditExport,
  "/api/v1/audit/sinks": auditSinks,
  "/api/v1/audit/sinks/[id]": auditSinksId,
  "/api/v1/audit/verify": auditVerify,
  "/api/v1/budgets": budgets,
  "/api/v1/budgets/[id]": budgetsId,
  "/api/v1/budgets/[id]/archive": budgetsIdArchive,
  "/api/v1/budgets/[id]/history": budgetsIdHistory,
  "/api/v1/budgets/replay": budgetsReplay,
  "/api/v1/change-requests": changeRequests,
  "/api/v1/change-requests/[id]/approve": changeRequestsIdApprove,
  "/api/v1/change-requests/[id]/reject": changeRequestsIdReject,
  "/api/v1/config/apply": configApply,
  "/api/v1/config/export": configExport,
  "/api/v1/config/plan": configPlan,
  "/api/v1/config/schema": configSchema,
  "/api/v1/deployment-gates": deploymentGates,
  "/api/v1/deployment-gates/[environment]": deploymentGatesEnvironment,
  "/api/v1/deployment-requests": deploymentRequests,
  "/api/v1/deployment-requests/[id]/approve": deploymentRequestsIdApprove,
  "/api/v1/deployment-requests/[id]/reject": deploymentRequestsIdReject,
  "/api/v1/environment-policies": environmentPolicies,
  "/api/v1/lineage": lineage,
  "/api/v1/lineage/export": lineageExport,
  "/api/v1/mcp/servers": mcpServers,
  "/api/v1/mcp/servers/[id]": mcpServersId,
  "/api/v1/mcp/servers/[id]/import": mcpServersIdImport,
  "/api/v1/mcp/tools/[id]/accept": mcpToolsIdAccept,
  "/api/v1/mcp/tools/[id]/reject": mcpToolsIdReject,
  "/api/v1/model-prices": modelPrices,
  "/api/v1/notifications": notifications,
  "/api/v1/notifications/read": notificationsRead,
  "/api/v1/otlp/v1/traces": otlpV1Traces,
  "/api/v1/outcome-types": outcomeTypes,
  "/api/v1/outcome-types/[id]": outcomeTypesId,
  "/api/v1/resources": resources,
  "/api/v1/resources/[id]": resourcesId,
  "/api/v1/resources/[id]/lineage": resourcesIdLineage,
  "/api/v1/resources/[id]/lineage/export": resourcesIdLineageExport,
  "/api/v1/runtime/approvals/[id]": runtimeApprovalsId,
  "/api/v1/runtime/authorize": runtimeAuthorize,
  "/api/v1/runtime/config": runtimeConfig,
  "/api/v1/runtime/outcomes": runtimeOutcomes,
  "/api/v1/runtime/usage": runtimeUsage,
  "/api/v1/settings": settings,
  "/api/v1/spend": spend,
  "/api/v1/spend/breakdown": spendBreakdown,
  "/api/v1/spend/burn": spendBurn,
  "/api/v1/spend/export": spendExport,
  "/api/v1/spend/focus": spendFocus,
  "/api/v1/teams": teams,
  "/api/v1/teams/[id]": teamsId,
  "/api/v1/tokens": tokens,
  "/api/v1/tokens/[id]": tokensId,
  "/api/v1/users": users,
  "/api/v1/users/[id]": usersId,
  "/api/v1/users/[id]/deactivate": usersIdDeactivate,
  "/api/v1/users/[id]/reactivate": usersIdReactivate,
  "/api/v1/users/[id]/sessions/revoke": usersIdSessionsRevoke,
  "/api/v1/users/[id]/sso/unlink": usersIdSsoUnlink,
  "/api/v1/webhooks": webhooks,
  "/api/v1/webhooks/[id]": webhooksId,
  "/api/v1/webhooks/[id]/test": webhooksIdTest,
};
