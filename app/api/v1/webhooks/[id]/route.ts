import { deleteWebhookEndpoint } from "@/lib/domain/webhooks/delete-webhook-endpoint";
import { personRoute } from "@/lib/http/route";

export const DELETE = personRoute({}, async ({ actor, params, meta }) => deleteWebhookEndpoint(actor, meta, params.id));
