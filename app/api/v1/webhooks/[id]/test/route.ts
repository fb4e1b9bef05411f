import { WebhookDeliverySchema } from "@/lib/domain/webhooks/schemas";
import { sendTestWebhook } from "@/lib/domain/webhooks/send-test-webhook";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["alerts"],
    summary: "Send a webhook.test event now; returns the delivery with its status code",
    params: { id: "Webhook endpoint id" },
    response: WebhookDeliverySchema,
  },
  async ({ actor, params, meta }) => sendTestWebhook(actor, meta, params.id),
);
