import { z } from "zod";
import { db } from "@/lib/db/client";
import { readableTeamIds } from "@/lib/domain/actor";
import { personRoute } from "@/lib/http/route";

const QuerySchema = z.object({ status: z.enum(["pending", "approved", "rejected"]).default("pending") });

export const GET = personRoute({ query: QuerySchema }, async ({ actor, query }) => {
  const teams = readableTeamIds(actor);
  const items = await db().deploymentRequest.findMany({
    where: { status: query.status, ...(teams ? { agent: { teamId: { in: teams } } } : {}) },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { version: { select: { number: true } }, agent: { select: { slug: true } } },
  });
  return { items: items.map(({ version, agent, ...r }) => ({ ...r, versionNumber: version.number, agentSlug: agent.slug })) };
});
