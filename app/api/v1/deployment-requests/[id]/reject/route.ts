import { rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { ChangeRequestSchema, DecisionSchema } from "@/lib/domain/changes/schemas";
import { personRoute } from "@/lib/http/route";

/** The same as /api/v1/change-requests/{id}/reject (kept for scripts written before it). */
export const POST = personRoute(
  {
    tags: ["versions"],
    summary: "Same as /change-requests/{id}/reject",
    params: { id: "Change request id" },
    body: DecisionSchema,
    response: ChangeRequestSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => rejectChangeRequest(actor, meta, params.id, body),
);
