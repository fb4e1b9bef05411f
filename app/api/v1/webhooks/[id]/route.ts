import { z } from "zod";
import { deleteWebhookEndpoint } from "@/lib/domain/webhooks/delete-webhook-endpoint";
import { personRoute } from "@/lib/http/route";

export const DELETE = personRoute(
  {
    tags: ["alerts"],
    summary: "Delete an endpoint and its delivery log",
    params: { id: "Webhook endpoint id" },
    response: z.object({ deleted: z.string().meta({ description: "The deleted endpoint's id" }) }),
  },
  async ({ actor, params, meta }) => deleteWebhookEndpoint(actor, meta, params.id),
);
