import { denyApproval } from "@/lib/domain/approvals/decide-approval";
import { ApprovalSchema, DenyInputSchema } from "@/lib/domain/approvals/schemas";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["approvals"],
    summary: "Deny, with a reason (admins; team leads for their teams' agents)",
    params: { id: "Approval id" },
    body: DenyInputSchema,
    response: ApprovalSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const decided = await denyApproval(actor, meta, params.id, body);
    kickWebhookDispatch(); // after commit: approval.decided is in the outbox
    return decided;
  },
);
