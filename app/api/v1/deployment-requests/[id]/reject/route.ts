import { rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { personRoute } from "@/lib/http/route";

/** The same as /api/v1/change-requests/{id}/reject (kept for scripts written before it). */
export const POST = personRoute({}, async ({ actor, params, body, meta }) =>
  rejectChangeRequest(actor, meta, params.id, body as { note?: string }),
);
