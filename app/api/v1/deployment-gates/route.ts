import { listDeploymentGates, setRequiredSuites } from "@/lib/domain/deployments/policies";
import type { RequiredSuitesInput } from "@/lib/domain/evals/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async () => listDeploymentGates());

/** Sets the eval suites one environment requires: {environment, suites}. */
export const PUT = personRoute({}, async ({ actor, body, meta }) => setRequiredSuites(actor, meta, body as RequiredSuitesInput));
