import { ingestUsage } from "@/lib/domain/usage/ingest-usage";
import type { UsageBatch } from "@/lib/domain/usage/schemas";
import { agentRoute } from "@/lib/http/route";

export const POST = agentRoute({}, async ({ agent, body }) => ingestUsage(agent.id, body as UsageBatch));
