import { createWebhookEndpoint, MAX_WEBHOOK_ENDPOINTS } from "@/lib/domain/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/domain/webhooks/queries";
import {
  NewWebhookEndpointSchema,
  WebhookEndpointInputSchema,
  WebhookEndpointWithDeliveriesSchema,
} from "@/lib/domain/webhooks/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["alerts"],
    summary: "Webhook endpoints with their latest deliveries (admins)",
    response: itemsOf(WebhookEndpointWithDeliveriesSchema),
  },
  async ({ actor }) => ({ items: await listWebhookEndpoints(actor) }),
);

/** The response carries the signing secret; it is never returned again. */
export const POST = personRoute(
  {
    tags: ["alerts"],
    summary: "Register an endpoint; the response holds its signing secret, shown once",
    description: `Deliveries carry x-acp-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">. At most ${MAX_WEBHOOK_ENDPOINTS} endpoints (409 limit_reached); a URL with a user name or password is refused.`,
    body: WebhookEndpointInputSchema,
    response: NewWebhookEndpointSchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, body, meta }) => createWebhookEndpoint(actor, meta, body),
);
