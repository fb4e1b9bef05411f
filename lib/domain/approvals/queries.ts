import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, readableTeamIds } from "../actor";
import { timeIdPage } from "../cursor";
import { notFound } from "../errors";
import { microsToUsdOrNull } from "../money";
import { expireDueApprovals, expireOne } from "./expire-approvals";
import { ApprovalListQuerySchema } from "./schemas";
import { waitForSignal } from "./signals";

const include = {
  agent: { select: { id: true, slug: true, name: true, teamId: true } },
  decidedBy: { select: { id: true, name: true } },
} as const;
type Row = Prisma.ApprovalRequestGetPayload<{ include: typeof include }>;

/**
 * An approval as the actor may read it. Its context is what the agent sent with the call: on whose behalf it acted,
 * who asked through AuthZEN, anything else it logged. That is personal data, which a viewer does not read (as with
 * lineage).
 */
function view(actor: Actor) {
  const personal = !(actor.type === "user" && actor.role === "viewer");
  return ({ agentId: _agentId, decidedById: _d, decisionId: _p, redeemedDecisionId: _r, ...a }: Row) => ({
    ...a,
    context: personal ? a.context : null,
    estimatedCostUsd: microsToUsdOrNull(a.estimatedMicros),
  });
}
export type ApprovalView = ReturnType<ReturnType<typeof view>>;

function visibleWhere(actor: Actor): Prisma.ApprovalRequestWhereInput {
  const teams = readableTeamIds(actor);
  return teams ? { agent: { teamId: { in: teams } } } : {};
}

/**
 * Runtime approvals the person may see (a team lead: their teams' agents), a page at a time (`cursor`, `limit`).
 * Pending ones oldest first (the inbox order: the one closest to expiring on top); decided ones newest first. Due
 * ones are expired first.
 */
export async function listApprovals(actor: Actor, rawQuery: unknown = {}) {
  const query = ApprovalListQuerySchema.parse(rawQuery ?? {});
  const status = query.status ?? "pending";
  const keyset = timeIdPage("createdAt", status === "pending" ? "asc" : "desc", query);
  await expireDueApprovals();
  const rows = await db().approvalRequest.findMany({
    where: {
      AND: [
        visibleWhere(actor),
        { status },
        query.agentId ? { agentId: query.agentId } : {},
        keyset.where as Prisma.ApprovalRequestWhereInput,
      ],
    },
    orderBy: keyset.orderBy,
    take: keyset.take,
    include,
  });
  const page = keyset.page(rows);
  return { items: page.rows.map(view(actor)), nextCursor: page.nextCursor };
}

export async function getApproval(actor: Actor, id: string) {
  const row = await db().approvalRequest.findFirst({ where: { AND: [{ id }, visibleWhere(actor)] }, include });
  if (!row) throw notFound("Approval");
  return view(actor)(row);
}

/** How many runtime approvals wait for this person to decide (the bell and the navigation badge). */
export async function pendingApprovalCount(actor: Actor, now = new Date()): Promise<number> {
  if (actor.type !== "user" || (actor.role !== "admin" && actor.role !== "team_lead")) return 0;
  return db().approvalRequest.count({
    where: { AND: [visibleWhere(actor), { status: "pending", expiresAt: { gt: now } }] },
  });
}

/** What the agent that asked sees: where its approval stands. */
async function readForAgent(agentId: string, id: string) {
  const row = await db().approvalRequest.findFirst({ where: { id, agentId }, include });
  if (!row) throw notFound("Approval");
  return row;
}

const runtimeView = (a: Row) => ({
  id: a.id,
  status: a.status,
  action: a.action,
  resource: a.resource,
  argumentsDigest: a.argumentsDigest,
  expiresAt: a.expiresAt,
  decidedAt: a.decidedAt,
  decidedBy: a.decidedBy?.name ?? null,
  note: a.decisionNote,
});

/**
 * Long-polls one agent may hold open at once in this process: past it a poll answers at once, as with `wait=0`. Each
 * waiting poll re-reads its row every second on the pool the console uses; the rate limit counts requests started, not
 * requests held, so without it one key could hold thousands open.
 */
export const MAX_WAITS_PER_AGENT = 20;
const waiting = new Map<string, number>();

/**
 * The agent's long-poll: answers at once when the approval is decided (or expired), else holds the request up to
 * `waitSeconds`, woken the moment it is decided in this process and re-reading the row every second (decisions made
 * by another instance), and answers expired as soon as its time is up.
 */
export async function awaitRuntimeApproval(agentId: string, id: string, waitSeconds: number, abort?: AbortSignal) {
  const held = waiting.get(agentId) ?? 0;
  if (held >= MAX_WAITS_PER_AGENT) return pollRuntimeApproval(agentId, id, 0, abort);
  waiting.set(agentId, held + 1);
  try {
    return await pollRuntimeApproval(agentId, id, waitSeconds, abort);
  } finally {
    const left = (waiting.get(agentId) ?? 1) - 1;
    if (left > 0) waiting.set(agentId, left);
    else waiting.delete(agentId);
  }
}

async function pollRuntimeApproval(agentId: string, id: string, waitSeconds: number, abort?: AbortSignal) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    let row = await readForAgent(agentId, id);
    if ((row.status === "pending" || row.status === "approved") && row.expiresAt.getTime() <= Date.now()) {
      await expireOne(id);
      row = await readForAgent(agentId, id);
    }
    const left = deadline - Date.now();
    if (row.status !== "pending" || left <= 0 || abort?.aborted) return runtimeView(row);
    const untilExpiry = row.expiresAt.getTime() - Date.now() + 5;
    await waitForSignal(id, Math.min(left, 1000, Math.max(untilExpiry, 0)), abort);
  }
}
