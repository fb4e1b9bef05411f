import { authorizeAction, decisionSnapshot } from "@/lib/domain/decisions/authorize-action";
import { AuthorizeRequestSchema, AuthorizeResponseSchema } from "@/lib/domain/decisions/schemas";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { agentRoute, reply } from "@/lib/http/route";

export const POST = agentRoute(
  {
    tags: ["runtime"],
    summary: "May I? Evaluates rules and budgets, reserves the estimate",
    description:
      "A rule that requires approval answers 201 with `decision: pending` and an `approvalId` (Location: the approval). Wait for it with `GET /runtime/approvals/{id}?wait=30`, then ask again with `approvalId` to redeem it: once, for the same action, resource and `argumentsDigest`.",
    body: AuthorizeRequestSchema,
    response: AuthorizeResponseSchema,
    otherResponses: { 201: AuthorizeResponseSchema },
    preload: decisionSnapshot,
  },
  async ({ agent, body, meta, preloaded }) => {
    const answer = await authorizeAction(agent.id, meta, body, undefined, undefined, preloaded);
    if (answer.decision !== "pending") return answer;
    kickWebhookDispatch(); // after commit: approval.requested is in the outbox
    return reply(201, answer, { Location: `/api/v1/runtime/approvals/${answer.approvalId}` });
  },
);
