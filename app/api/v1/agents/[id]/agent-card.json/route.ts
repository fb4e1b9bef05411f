import { z } from "zod";
import { AgentCardSchema } from "@/lib/domain/agents/agent-card";
import { getAgentCard, removeAgentCard, setAgentCard } from "@/lib/domain/agents/set-agent-card";
import { personRoute } from "@/lib/http/route";
import { AGENT_PARAM } from "../../view";

const AgentCardRemovedSchema = z.object({ removed: z.string() });

export const GET = personRoute(
  {
    tags: ["agents"],
    summary: "The agent's A2A v1.0 Agent Card (by id or slug; 404 when it has none)",
    description:
      "Its skills are rule resources: an agent asks `authorize` for action `a2a:send` on `a2a:<slug>/<skill id>` before it sends a task to that skill.",
    params: AGENT_PARAM,
    response: AgentCardSchema,
  },
  async ({ actor, params }) => getAgentCard(actor, params.id),
);

export const PUT = personRoute(
  {
    tags: ["agents"],
    summary: "Import (or replace) the agent's A2A v1.0 Agent Card (admins); validated against a2a.proto's AgentCard",
    params: AGENT_PARAM,
    body: AgentCardSchema,
    response: AgentCardSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => setAgentCard(actor, meta, params.id, body),
);

export const DELETE = personRoute(
  {
    tags: ["agents"],
    summary: "Remove the agent's A2A card (admins)",
    params: AGENT_PARAM,
    response: AgentCardRemovedSchema,
    errors: [409],
  },
  async ({ actor, params, meta }) => removeAgentCard(actor, meta, params.id),
);
