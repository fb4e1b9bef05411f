import { ingestUsage } from "@/lib/domain/usage/ingest-usage";
import type { UsageBatch } from "@/lib/domain/usage/schemas";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { agentRoute } from "@/lib/http/route";

export const POST = agentRoute({}, async ({ agent, body, meta }) => {
  const { alerts, ...result } = await ingestUsage(agent.id, body as UsageBatch, meta);
  if (alerts > 0) kickWebhookDispatch(); // after commit: the deliveries are in the outbox
  return result;
});
