import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { maskUrl } from "./mask-url";

/** Removes an endpoint and its delivery log; pending deliveries to it are dropped. */
export async function deleteWebhookEndpoint(actor: Actor, meta: RequestMeta, endpointId: string) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, omit: { secret: true } });
    if (!before) throw notFound("Webhook endpoint");
    await tx.webhookEndpoint.delete({ where: { id: endpointId } });
    await writeAuditEvent(tx, actor, meta, {
      action: "webhook.deleted",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      before: { ...before, url: maskUrl(before.url) },
    });
    return { deleted: endpointId };
  });
}
