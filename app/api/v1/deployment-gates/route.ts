import { NextResponse } from "next/server";
import { listDeploymentGates, setRequiredSuites } from "@/lib/domain/deployments/policies";
import type { RequiredSuitesInput } from "@/lib/domain/evals/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async () => listDeploymentGates());

/** Sets the eval suites one environment requires: {environment, suites}. 202 when dropping a suite waits for a second admin. */
export const PUT = personRoute({}, async ({ actor, body, meta }) => {
  const result = await setRequiredSuites(actor, meta, body as RequiredSuitesInput);
  return "requestId" in result ? NextResponse.json(result, { status: 202 }) : result;
});
