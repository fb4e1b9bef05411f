import { listApprovals } from "@/lib/domain/approvals/queries";
import { ApprovalListQuerySchema, ApprovalSchema } from "@/lib/domain/approvals/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["approvals"],
    summary: "Runtime approvals (default: pending, oldest first; paginated: `cursor`, `limit`)",
    description: "Calls a rule allows only with a person's approval. A team lead sees their teams' agents' approvals.",
    domainQuery: ApprovalListQuerySchema,
    response: pageOf(ApprovalSchema),
  },
  async ({ actor, req }) => listApprovals(actor, Object.fromEntries(req.nextUrl.searchParams)),
);
