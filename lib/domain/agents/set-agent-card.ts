import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { lockLiveAgent } from "../locks";
import { parseAgentCard } from "./agent-card";
import { getAgent } from "./queries";

/**
 * Imports (or replaces) an agent's A2A v1.0 Agent Card, validated; the audit event records the skills before and
 * after (the card itself is in the event's after).
 */
export async function setAgentCard(actor: Actor, meta: RequestMeta, idOrSlug: string, raw: unknown) {
  const agentId = (await getAgent(actor, idOrSlug)).id; // 404 before 403, as for every agent
  requireAdmin(actor);
  const card = parseAgentCard(raw);
  return inTransaction(async (tx) => {
    const agent = await lockLiveAgent(tx, agentId, "update");
    const before = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: { agentCard: true } });
    await tx.agent.update({ where: { id: agentId }, data: { agentCard: card as Prisma.InputJsonValue } });
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.card_set",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      before: { skills: skillIds(before.agentCard) },
      after: { card },
    });
    return card;
  });
}

/** Removes an agent's card (its a2a: skills stop being listed; rules naming them stay as written). */
export async function removeAgentCard(actor: Actor, meta: RequestMeta, idOrSlug: string) {
  const agentId = (await getAgent(actor, idOrSlug)).id;
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const agent = await lockLiveAgent(tx, agentId, "update");
    const before = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: { agentCard: true } });
    if (!before.agentCard) throw notFound("Agent card");
    await tx.agent.update({ where: { id: agentId }, data: { agentCard: Prisma.DbNull } });
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.card_removed",
      targetType: "agent",
      targetId: agentId,
      agentId,
      teamId: agent.teamId,
      before: { skills: skillIds(before.agentCard) },
    });
    return { removed: agentId };
  });
}

function skillIds(card: unknown): string[] {
  const skills = (card as { skills?: { id?: unknown }[] } | null)?.skills;
  return Array.isArray(skills) ? skills.map((s) => String(s?.id)) : [];
}

/** An agent's card, for whoever may see the agent (404 when it has none). */
export async function getAgentCard(actor: Actor, idOrSlug: string) {
  const agent = await getAgent(actor, idOrSlug);
  if (!agent.agentCard) throw notFound("Agent card");
  return agent.agentCard as Record<string, unknown>;
}
