import { getApproval } from "@/lib/domain/approvals/queries";
import { ApprovalSchema } from "@/lib/domain/approvals/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["approvals"],
    summary: "One runtime approval",
    params: { id: "Approval id" },
    response: ApprovalSchema,
  },
  async ({ actor, params }) => getApproval(actor, params.id),
);
