import { NextResponse } from "next/server";
import { listEnvironmentPolicies, setEnvironmentPolicy } from "@/lib/domain/deployments/policies";
import type { EnvironmentPolicyInput } from "@/lib/domain/evals/schemas";
import { personRoute } from "@/lib/http/route";

/** {dev, staging, prod}: whether a deployment there needs a second admin's approval. */
export const GET = personRoute({}, async () => listEnvironmentPolicies());

/** 200 when applied; 202 when turning approval off waits for a second admin (a change request). */
export const PUT = personRoute({}, async ({ actor, body, meta }) => {
  const result = await setEnvironmentPolicy(actor, meta, body as EnvironmentPolicyInput);
  return "requestId" in result ? NextResponse.json(result, { status: 202 }) : result;
});
