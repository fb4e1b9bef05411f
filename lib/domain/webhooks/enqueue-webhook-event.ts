import "server-only";
import type { Tx } from "@/lib/db/tx";

export type WebhookEventType =
  | "budget.threshold_crossed"
  | "approval.requested"
  | "approval.decided"
  | "canary.rolled_back"
  | "outcome.cost_exceeded"
  | "webhook.test";

/**
 * Writes one delivery per enabled endpoint into the outbox, inside the caller's transaction: the event is sent
 * if and only if the change that raised it commits. Sending happens after commit (deliverDueWebhooks).
 */
export async function enqueueWebhookEvent(
  tx: Tx,
  type: WebhookEventType,
  data: unknown,
  onlyEndpointId?: string,
): Promise<string[]> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { disabledAt: null, ...(onlyEndpointId ? { id: onlyEndpointId } : {}) },
    select: { id: true },
  });
  if (endpoints.length === 0) return [];
  const createdAt = new Date().toISOString();
  const payload = JSON.parse(
    JSON.stringify({ type, createdAt, data }, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
  );
  const rows = await tx.webhookDelivery.createManyAndReturn({
    data: endpoints.map((e) => ({ endpointId: e.id, eventType: type, payload })),
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
