import { z } from "zod";
import {
  DECISIONS_SCOPE,
  DecisionSchema,
  EvaluationsRequestSchema,
  EvaluationsResponseSchema,
  evaluateAccessBatch,
} from "@/lib/domain/decisions/authzen";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["decisions"],
    summary: "AuthZEN 1.0 Access Evaluations: several decisions in one call",
    description:
      "Top-level subject, action, resource and context are defaults each item of `evaluations` (at most 100) may override. Items are decided in order, each on its own (its own reservation and decision record); `options.evaluations_semantic`: `execute_all` (default), `deny_on_first_deny` or `permit_on_first_permit` stop after the first such answer. An item still missing a subject, action or resource is denied with `context.error`. Without items, one evaluation.",
    scope: DECISIONS_SCOPE,
    body: EvaluationsRequestSchema,
    response: z.union([EvaluationsResponseSchema, DecisionSchema]),
  },
  async ({ actor, body, meta }) => {
    const answer = await evaluateAccessBatch(actor, meta, body);
    kickWebhookDispatch(); // any approval it opened waits in the outbox
    return answer;
  },
);
