import { createWebhookEndpoint } from "@/lib/domain/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/domain/webhooks/queries";
import type { WebhookEndpointInput } from "@/lib/domain/webhooks/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor }) => ({ items: await listWebhookEndpoints(actor) }));

/** The response carries the signing secret; it is never returned again. */
export const POST = personRoute({ status: 201 }, async ({ actor, body, meta }) =>
  createWebhookEndpoint(actor, meta, body as WebhookEndpointInput),
);
