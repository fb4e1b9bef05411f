import { NextResponse } from "next/server";
import { getAgent } from "@/lib/domain/agents/queries";
import type { UpdateAgentInput } from "@/lib/domain/agents/schemas";
import { updateAgent } from "@/lib/domain/agents/update-agent";
import { toJson } from "@/lib/http/json";
import { personRoute } from "@/lib/http/route";
import { agentView } from "../view";

export const GET = personRoute({}, async ({ actor, params }) => agentView(await getAgent(actor, params.id)));

export const PATCH = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id); // 404 for agents outside the actor's scope
  const updated = await updateAgent(actor, meta, agent.id, body as UpdateAgentInput);
  // 202: the environment move waits for a second admin (the other fields were saved).
  return NextResponse.json(toJson(agentView(updated)), { status: updated.pendingChange ? 202 : 200 });
});
