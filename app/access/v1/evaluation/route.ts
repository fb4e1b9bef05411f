import {
  DECISIONS_SCOPE,
  DecisionSchema,
  EvaluationRequestSchema,
  evaluateAccess,
} from "@/lib/domain/decisions/authzen";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["decisions"],
    summary: "AuthZEN 1.0 Access Evaluation: may this agent do this action on this resource?",
    description:
      'OpenID AuthZEN Authorization API 1.0. subject `{type: "agent", id: <slug>}`, action `{name}`, resource `{type, id}` (the id is the resource rules name, e.g. `github.search`; type `mcp` makes it `mcp:<server>/<tool>`), context `{estimatedCostUsd?, model?, argumentsDigest?, approvalId?}`. The same evaluator, budgets, approvals and decision record as `POST /api/v1/runtime/authorize`; `decision` is true for allow and degrade (use `context.model`), false otherwise, with `context.code`, `reason`, `ruleId`, `budgetId`, `decisionId` and, for a pending approval, `approvalId`. Admins, and team leads for their teams\' agents; a token scoped to `decisions:evaluate` reaches only these endpoints.',
    scope: DECISIONS_SCOPE,
    body: EvaluationRequestSchema,
    response: DecisionSchema,
  },
  async ({ actor, body, meta }) => {
    const answer = await evaluateAccess(actor, meta, body);
    if (answer.context?.decision === "pending") kickWebhookDispatch(); // approval.requested is in the outbox
    return answer;
  },
);
