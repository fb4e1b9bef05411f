import { denyApproval } from "@/lib/domain/approvals/decide-approval";
import { ApprovalSchema, DenyInputSchema } from "@/lib/domain/approvals/schemas";
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
  async ({ actor, params, body, meta }) => denyApproval(actor, meta, params.id, body),
);
