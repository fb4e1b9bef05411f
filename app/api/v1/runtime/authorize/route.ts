import { authorizeAction } from "@/lib/domain/decisions/authorize-action";
import type { AuthorizeRequest } from "@/lib/domain/decisions/schemas";
import { agentRoute } from "@/lib/http/route";

export const POST = agentRoute({}, async ({ agent, body, meta }) =>
  authorizeAction(agent.id, meta, body as AuthorizeRequest),
);
