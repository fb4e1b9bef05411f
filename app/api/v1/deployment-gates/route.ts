import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { listDeploymentGates, setRequiredSuites } from "@/lib/domain/deployments/policies";
import { DeploymentGatesSchema, RequiredSuitesResultSchema, RequiredSuitesSchema } from "@/lib/domain/evals/schemas";
import { personRoute, reply } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["evals"],
    summary: "Per environment, the eval suites a version must have passed to be deployed there",
    response: DeploymentGatesSchema,
  },
  async () => listDeploymentGates(),
);

/** Sets the eval suites one environment requires: {environment, suites}. 202 when dropping a suite waits for a second admin. */
export const PUT = personRoute(
  {
    tags: ["evals"],
    summary:
      "Set one environment's required suites, the score each suite's run must reach and the most their runs may cost per passed case",
    body: RequiredSuitesSchema,
    response: RequiredSuitesResultSchema,
    otherResponses: {
      202: {
        description:
          "Dropping a suite, lowering or removing a minimum score, or raising or removing the cost limit, waits for a second admin",
        content: { "application/json": PendingChangeSchema },
      },
    },
  },
  async ({ actor, body, meta }) => {
    const result = await setRequiredSuites(actor, meta, body);
    return "requestId" in result ? reply(202, result) : result;
  },
);
