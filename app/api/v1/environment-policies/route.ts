import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { listEnvironmentPolicies, setEnvironmentPolicy } from "@/lib/domain/deployments/policies";
import {
  EnvironmentPoliciesSchema,
  EnvironmentPolicyInputSchema,
  EnvironmentPolicySchema,
} from "@/lib/domain/evals/schemas";
import { personRoute, reply } from "@/lib/http/route";

/** {dev, staging, prod}: whether a deployment there needs a second admin's approval. */
export const GET = personRoute(
  {
    tags: ["versions"],
    summary: "Per environment, whether a deployment there needs a second admin's approval (four-eyes)",
    response: EnvironmentPoliciesSchema,
  },
  async () => listEnvironmentPolicies(),
);

/** 200 when applied; 202 when turning approval off waits for a second admin (a change request). */
export const PUT = personRoute(
  {
    tags: ["versions"],
    summary: "Turn four-eyes on (immediate) or off (202: a change request another admin must approve)",
    body: EnvironmentPolicyInputSchema,
    response: EnvironmentPolicySchema,
    otherResponses: {
      202: { description: "Waiting for a second admin", content: { "application/json": PendingChangeSchema } },
    },
  },
  async ({ actor, body, meta }) => {
    const result = await setEnvironmentPolicy(actor, meta, body);
    return "requestId" in result ? reply(202, result) : result;
  },
);
