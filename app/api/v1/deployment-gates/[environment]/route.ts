import { getDeploymentGate } from "@/lib/domain/deployments/policies";
import { RequiredSuitesResultSchema } from "@/lib/domain/evals/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["evals"],
    summary: "One environment's deployment gate: its required suites and the most their runs may cost per passed case",
    params: { environment: "dev, staging or prod" },
    response: RequiredSuitesResultSchema,
  },
  async ({ params }) => getDeploymentGate(params.environment),
);
