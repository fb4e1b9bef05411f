import { approveChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({}, async ({ actor, params, body, meta }) =>
  approveChangeRequest(actor, meta, params.id, body as { note?: string }),
);
