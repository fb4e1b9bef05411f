import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { ChangeKind, RequestStatus } from "@/lib/db/generated/enums";
import { type Actor, requireAdmin } from "../actor";
import { compareVersions, type FieldDiff } from "../versions/compare";

/** Change requests as listed: newest first, with what each one asks for, readably. */
async function listRequests(where: Prisma.ChangeRequestWhereInput, take: number) {
  const items = await db().changeRequest.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take,
    include: {
      version: { select: { number: true } },
      agent: { select: { slug: true } },
      user: { select: { email: true, name: true } },
      requestedBy: { select: { id: true, name: true, email: true } },
    },
  });
  return items.map(({ version, agent, user, ...r }) => ({
    ...r,
    versionNumber: version?.number ?? null,
    agentSlug: agent?.slug ?? null,
    subject: user,
  }));
}

/** Change requests (four-eyes) for the admins who decide them. */
export async function listChangeRequests(actor: Actor, status: RequestStatus, change?: ChangeKind) {
  requireAdmin(actor);
  return listRequests({ status, ...(change ? { change } : {}) }, 100);
}

/** A person's own change requests, with their fate (for their inbox). */
export async function listOwnChangeRequests(actor: Actor, take = 20) {
  if (actor.type !== "user") return [];
  return listRequests({ requestedById: actor.id }, take);
}

/**
 * For pending deployment and canary requests: the config diff from the agent's live version (or nothing) to the
 * requested one.
 */
export async function deploymentDiffs(actor: Actor, requestIds: string[]) {
  requireAdmin(actor);
  const diffs = new Map<string, { liveNumber: number | null; diff: FieldDiff[] }>();
  if (!requestIds.length) return diffs;
  const rows = await db().changeRequest.findMany({
    where: { id: { in: requestIds }, change: { in: ["deployment", "canary"] } },
    include: { version: true, agent: { include: { deployedVersion: true } } },
  });
  for (const { id, version, agent } of rows) {
    if (!version) continue;
    const live = agent?.deployedVersion ?? null;
    const nothing = {
      number: 0,
      model: "",
      fallbackModel: null,
      systemPrompt: "",
      tools: [],
      parameters: {},
      extra: {},
    };
    diffs.set(id, { liveNumber: live?.number ?? null, diff: compareVersions(live ?? nothing, version) });
  }
  return diffs;
}
