import { listApprovals } from "@/lib/domain/approvals/queries";
import { ApprovalListQuerySchema, ApprovalSchema } from "@/lib/domain/approvals/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["approvals"],
    summary: "Runtime approvals (default: pending, oldest first)",
    description: "Calls a rule allows only with a person's approval. A team lead sees their teams' agents' approvals.",
    domainQuery: ApprovalListQuerySchema,
    response: itemsOf(ApprovalSchema),
  },
  async ({ actor, req }) => ({ items: await listApprovals(actor, Object.fromEntries(req.nextUrl.searchParams)) }),
);
