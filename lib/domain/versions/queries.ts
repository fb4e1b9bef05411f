import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { PageQuerySchema, timeIdPage } from "../cursor";
import { latestEvalsByVersion } from "../evals/latest-evals";

export async function listVersions(actor: Actor, agentIdOrSlug: string) {
  const agent = await getAgent(actor, agentIdOrSlug);
  const versions = await db().agentVersion.findMany({ where: { agentId: agent.id }, orderBy: { number: "desc" } });
  return versions.map((v) => ({ ...v, deployed: v.id === agent.deployedVersionId }));
}

/** An agent's deployments, newest first, a page at a time (`cursor`, `limit`). */
export async function listDeployments(actor: Actor, agentIdOrSlug: string, rawQuery: unknown = {}) {
  const keyset = timeIdPage("createdAt", "desc", PageQuerySchema.parse(rawQuery ?? {}));
  const agent = await getAgent(actor, agentIdOrSlug);
  const rows = await db().deployment.findMany({
    where: { AND: [{ agentId: agent.id }, keyset.where as Prisma.DeploymentWhereInput] },
    orderBy: keyset.orderBy,
    take: keyset.take,
    include: { version: { select: { number: true } } },
  });
  const page = keyset.page(rows);
  return {
    items: page.rows.map(({ version, ...d }) => ({ ...d, versionNumber: version.number })),
    nextCursor: page.nextCursor,
  };
}

/**
 * The history of an agent already read with getAgent (so the actor may see it), as its Versions tab shows it: the
 * latest 50 versions with the latest eval run of each suite, the pending deployment requests, the last 20
 * deployments and who approved them.
 */
export async function versionHistory(agent: { id: string }) {
  const [versions, versionCount, pendingRequests, deployments, evals] = await Promise.all([
    db().agentVersion.findMany({
      where: { agentId: agent.id },
      orderBy: { number: "desc" },
      take: 50,
      include: { createdBy: { select: { name: true } } },
    }),
    db().agentVersion.count({ where: { agentId: agent.id } }),
    db().changeRequest.findMany({
      where: { agentId: agent.id, status: "pending", change: "deployment" },
      orderBy: { createdAt: "asc" },
      include: { version: { select: { number: true } }, requestedBy: { select: { id: true, name: true } } },
    }),
    db().deployment.findMany({
      where: { agentId: agent.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      include: { version: { select: { number: true } }, deployedBy: { select: { name: true } } },
    }),
    latestEvalsByVersion(agent.id),
  ]);
  const approverIds = [...new Set(deployments.map((d) => d.approvedById).filter((x): x is string => !!x))];
  const approvers = new Map(
    (await db().user.findMany({ where: { id: { in: approverIds } }, select: { id: true, name: true } })).map((u) => [
      u.id,
      u.name,
    ]),
  );
  return {
    versions,
    versionCount,
    evals,
    pendingRequests: pendingRequests.map((r) => ({ ...r, version: r.version! })),
    deployments: deployments.map((d) => ({
      ...d,
      approvedByName: d.approvedById ? (approvers.get(d.approvedById) ?? "unknown") : null,
    })),
  };
}
