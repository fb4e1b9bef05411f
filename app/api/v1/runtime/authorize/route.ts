import { authorizeAction } from "@/lib/domain/decisions/authorize-action";
import { AuthorizeRequestSchema, AuthorizeResponseSchema } from "@/lib/domain/decisions/schemas";
import { agentRoute } from "@/lib/http/route";

export const POST = agentRoute(
  {
    tags: ["runtime"],
    summary: "May I? Evaluates rules and budgets, reserves the estimate",
    body: AuthorizeRequestSchema,
    response: AuthorizeResponseSchema,
  },
  async ({ agent, body, meta }) => authorizeAction(agent.id, meta, body),
);
