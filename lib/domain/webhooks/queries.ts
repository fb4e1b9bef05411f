import "server-only";
import { db } from "@/lib/db/client";
import { type Actor, requireAdmin } from "../actor";

/** Endpoints (never their secrets) with their latest deliveries, for admins. */
export async function listWebhookEndpoints(actor: Actor, deliveriesPerEndpoint = 10) {
  requireAdmin(actor);
  return db().webhookEndpoint.findMany({
    orderBy: { createdAt: "asc" },
    omit: { secret: true },
    include: { deliveries: { orderBy: { createdAt: "desc" }, take: deliveriesPerEndpoint, omit: { payload: true } } },
  });
}
