import "server-only";
import { db } from "@/lib/db/client";
import { servesCanary } from "../canaries/compare";
import { DomainError, notFound } from "../errors";
import { versionConfig } from "../versions/schemas";

export function agentNotActive(status: string) {
  return new DomainError(
    "forbidden",
    status === "suspended" ? "agent_suspended" : "agent_retired",
    status === "suspended" ? "This agent is suspended: it may not run" : "This agent is retired",
  );
}

/**
 * The deployed version's config for a runtime, with an ETag that changes with every deployment. While a canary runs,
 * a routing key the stable hash puts in its share gets the canary's version instead (and its own ETag).
 */
export async function getRuntimeConfig(agentId: string, routingKey?: string | null) {
  const agent = await db().agent.findUnique({ where: { id: agentId }, include: { deployedVersion: true } });
  if (!agent) throw notFound("Agent");
  if (agent.status !== "active") throw agentNotActive(agent.status);
  const stable = agent.deployedVersion;
  if (!stable) throw new DomainError("not_found", "no_deployed_version", "This agent has no deployed version");
  const [last, canary] = await Promise.all([
    db().deployment.findFirst({
      where: { agentId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    }),
    db().canary.findFirst({ where: { agentId, status: "running" } }),
  ]);
  const serving = Boolean(canary && routingKey && servesCanary(canary, routingKey));
  const v = serving ? await db().agentVersion.findUniqueOrThrow({ where: { id: canary!.versionId } }) : stable;
  return {
    // The served version and the agent's last edit (its environment, name) are in the tag, so a tag always names the
    // body it came with.
    etag: `"${last?.id ?? stable.id}${canary ? `:${canary.id}` : ""}:${v.id}:${agent.updatedAt.getTime().toString(36)}"`,
    body: {
      agent: { id: agent.id, slug: agent.slug, name: agent.name, status: agent.status, environment: agent.environment },
      version: { number: v.number, createdAt: v.createdAt },
      config: versionConfig(v),
      ...(canary ? { canary: { version: canary.versionNumber, percent: canary.percent, serving } } : {}),
    },
  };
}
