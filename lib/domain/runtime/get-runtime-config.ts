import "server-only";
import { db } from "@/lib/db/client";
import { DomainError, notFound } from "../errors";
import { versionConfig } from "../versions/schemas";

export function agentNotActive(status: string) {
  return new DomainError(
    "forbidden",
    status === "suspended" ? "agent_suspended" : "agent_retired",
    status === "suspended" ? "This agent is suspended: it may not run" : "This agent is retired",
  );
}

/** The deployed version's config for a runtime, with an ETag that changes with every deployment. */
export async function getRuntimeConfig(agentId: string) {
  const agent = await db().agent.findUnique({ where: { id: agentId }, include: { deployedVersion: true } });
  if (!agent) throw notFound("Agent");
  if (agent.status !== "active") throw agentNotActive(agent.status);
  const v = agent.deployedVersion;
  if (!v) throw new DomainError("not_found", "no_deployed_version", "This agent has no deployed version");
  const last = await db().deployment.findFirst({
    where: { agentId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return {
    etag: `"${last?.id ?? v.id}"`,
    body: {
      agent: { id: agent.id, slug: agent.slug, name: agent.name, status: agent.status, environment: agent.environment },
      version: { number: v.number, createdAt: v.createdAt },
      config: versionConfig(v),
    },
  };
}
