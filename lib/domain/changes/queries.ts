import "server-only";
import { db } from "@/lib/db/client";
import type { ChangeKind, RequestStatus } from "@/lib/db/generated/enums";
import { type Actor, requireAdmin } from "../actor";
import { compareVersions, type FieldDiff } from "../versions/compare";

/** A person's own change requests, newest first, with their fate (for their inbox). */
export async function listOwnChangeRequests(actor: Actor, take = 20) {
  if (actor.type !== "user") return [];
  const items = await db().changeRequest.findMany({
    where: { requestedById: actor.id },
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

/** For pending deployment requests: the config diff from the agent's live version to the requested one. */
export async function deploymentDiffs(actor: Actor, requestIds: string[]) {
  requireAdmin(actor);
  if (!requestIds.length) return new Map<string, { liveNumber: number | null; diff: FieldDiff[] }>();
  const rows = await db().changeRequest.findMany({
    where: { id: { in: requestIds }, change: "deployment" },
    include: { version: true, agent: { include: { deployedVersion: true } } },
  });
  return new Map(
    rows
      .filter((r) => r.version)
      .map((r) => {
        const live = r.agent?.deployedVersion ?? null;
        const empty = {
          ...r.version!,
          model: "",
          fallbackModel: null,
          systemPrompt: "",
          tools: [],
          parameters: {},
          extra: {},
        };
        return [r.id, { liveNumber: live?.number ?? null, diff: compareVersions(live ?? empty, r.version!) }];
      }),
  );
}

/** Change requests (four-eyes) for the admins who decide them: newest first, with what each one asks for. */
export async function listChangeRequests(actor: Actor, status: RequestStatus, change?: ChangeKind) {
  requireAdmin(actor);
  const items = await db().changeRequest.findMany({
    where: { status, ...(change ? { change } : {}) },
    orderBy: { createdAt: "desc" },
    take: 100,
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
