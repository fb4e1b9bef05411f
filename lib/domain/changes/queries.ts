import "server-only";
import { db } from "@/lib/db/client";
import type { ChangeKind, RequestStatus } from "@/lib/db/generated/enums";
import { type Actor, requireAdmin } from "../actor";

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
