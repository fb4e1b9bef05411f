import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { deliverDueWebhooks } from "./deliver-webhooks";
import { enqueueWebhookEvent } from "./enqueue-webhook-event";

/** Queues a `webhook.test` event for one endpoint and sends it at once; returns the recorded delivery. */
export async function sendTestWebhook(actor: Actor, meta: RequestMeta, endpointId: string) {
  requireAdmin(actor);
  const ids = await inTransaction(async (tx) => {
    if (!(await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } })))
      throw notFound("Webhook endpoint");
    await writeAuditEvent(tx, actor, meta, {
      action: "webhook.test_sent",
      targetType: "webhook_endpoint",
      targetId: endpointId,
    });
    return enqueueWebhookEvent(
      tx,
      "webhook.test",
      { message: "Test event from the Agent Control Plane", by: actor.label },
      endpointId,
    );
  });
  await deliverDueWebhooks({ ids });
  return db().webhookDelivery.findUniqueOrThrow({ where: { id: ids[0] }, omit: { payload: true } });
}
