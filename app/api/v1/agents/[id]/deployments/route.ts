import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { getAgent } from "@/lib/domain/agents/queries";
import { deployVersion, type DeployInput } from "@/lib/domain/deployments/deploy-version";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor, params }) => {
  const agent = await getAgent(actor, params.id);
  const items = await db().deployment.findMany({ where: { agentId: agent.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100, include: { version: { select: { number: true } } } });
  return { items: items.map(({ version, ...d }) => ({ ...d, versionNumber: version.number })) };
});

/** 201 when deployed; 202 when the environment requires four-eyes approval and a request was created. */
export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  const result = await deployVersion(actor, meta, agent.id, body as DeployInput);
  return NextResponse.json(result, { status: result.status === "deployed" ? 201 : 202 });
});
