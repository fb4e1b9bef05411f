import { approveApproval } from "@/lib/domain/approvals/decide-approval";
import { ApprovalSchema, ApproveInputSchema } from "@/lib/domain/approvals/schemas";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["approvals"],
    summary: "Approve (admins; team leads for their teams' agents): the agent may make this one call",
    params: { id: "Approval id" },
    body: ApproveInputSchema,
    response: ApprovalSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const decided = await approveApproval(actor, meta, params.id, body);
    kickWebhookDispatch(); // after commit: approval.decided is in the outbox
    return decided;
  },
);
