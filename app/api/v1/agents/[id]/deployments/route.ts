import { NextResponse } from "next/server";
import { getAgent } from "@/lib/domain/agents/queries";
import { type DeployInput, deployVersion } from "@/lib/domain/deployments/deploy-version";
import { listDeployments } from "@/lib/domain/versions/queries";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => ({ items: await listDeployments(actor, params.id) }));

/** 201 when deployed; 202 when the environment requires four-eyes approval and a request was created. */
export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  const result = await deployVersion(actor, meta, agent.id, body as DeployInput);
  return NextResponse.json(result, { status: result.status === "deployed" ? 201 : 202 });
});
