import { rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { ChangeRequestSchema, DecisionSchema } from "@/lib/domain/changes/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Reject or withdraw a pending request",
    params: { id: "Change request id" },
    body: DecisionSchema,
    response: ChangeRequestSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => rejectChangeRequest(actor, meta, params.id, body),
);
