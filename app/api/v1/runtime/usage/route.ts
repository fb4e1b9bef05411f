import { ingestUsage } from "@/lib/domain/usage/ingest-usage";
import { UsageBatchSchema, UsageResponseSchema } from "@/lib/domain/usage/schemas";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { agentRoute } from "@/lib/http/route";

export const POST = agentRoute(
  {
    tags: ["runtime"],
    summary: "Report usage (up to 1,000 events, all or nothing, idempotent on event id)",
    description:
      "Timestamps at most 5 minutes ahead and USAGE_LATE_ARRIVAL_DAYS (default 7) days back, else 422 naming the field; usage naming a decisionId is charged to that decision's budget period.",
    body: UsageBatchSchema,
    response: UsageResponseSchema,
  },
  async ({ agent, body, meta }) => {
    const { alerts, ...result } = await ingestUsage(agent.id, body, meta);
    if (alerts > 0) kickWebhookDispatch(); // after commit: the deliveries are in the outbox
    return result;
  },
);
