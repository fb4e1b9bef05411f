import { rejectDeploymentRequest } from "@/lib/domain/deployments/decide-request";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({}, async ({ actor, params, body, meta }) => rejectDeploymentRequest(actor, meta, params.id, body as { note?: string }));
