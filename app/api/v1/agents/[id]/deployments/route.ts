import { getAgent } from "@/lib/domain/agents/queries";
import { DeployResultSchema, PendingDeployResultSchema } from "@/lib/domain/changes/schemas";
import { PageQuerySchema } from "@/lib/domain/cursor";
import { DeployInputSchema, deployVersion } from "@/lib/domain/deployments/deploy-version";
import { listDeployments } from "@/lib/domain/versions/queries";
import { DeploymentSchema } from "@/lib/domain/versions/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute, reply } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

export const GET = personRoute(
  {
    tags: ["versions"],
    summary: "Deployment history, newest first (paginated: `cursor`, `limit`)",
    params: AGENT_PARAM,
    domainQuery: PageQuerySchema,
    response: pageOf(DeploymentSchema),
  },
  async ({ actor, params, req }) => listDeployments(actor, params.id, Object.fromEntries(req.nextUrl.searchParams)),
);

/** 201 when deployed; 202 when the environment requires four-eyes approval and a request was created. */
export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Deploy a version, or roll back to an older one (reason required)",
    description: "409 eval_gate_failed when required eval suites have not passed (admins may override with a reason).",
    params: AGENT_PARAM,
    body: DeployInputSchema,
    status: 201,
    response: DeployResultSchema,
    otherResponses: {
      202: {
        description: "Four-eyes: a pending request was created",
        content: { "application/json": PendingDeployResultSchema },
      },
    },
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    const result = await deployVersion(actor, meta, agent.id, body);
    return reply(result.status === "deployed" ? 201 : 202, result);
  },
);
