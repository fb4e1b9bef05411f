import { approveChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { ChangeRequestSchema, DecisionSchema } from "@/lib/domain/changes/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Approve (another admin than the requester): applies the change in the same transaction",
    params: { id: "Change request id" },
    body: DecisionSchema,
    response: ChangeRequestSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => approveChangeRequest(actor, meta, params.id, body),
);
