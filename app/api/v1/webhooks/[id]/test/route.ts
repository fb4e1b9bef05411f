import { sendTestWebhook } from "@/lib/domain/webhooks/send-test-webhook";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({}, async ({ actor, params, meta }) => sendTestWebhook(actor, meta, params.id));
