import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Actor } from "../actor";
import { evaluatePermissions } from "../permissions/evaluate";
import { classifier } from "../resources/catalogue";
import { A2A_SEND, type AgentCard, a2aSkillResource } from "./agent-card";
import { scopeWhere } from "./queries";

export type SkillAccess = {
  resource: string;
  agent: string;
  skill: string;
  name: string;
  verdict: "allow" | "approval" | "deny";
  rule: number | null;
  why: string;
};

/**
 * For an agent's Permissions tab: each skill that the other agents' A2A cards offer (as `a2a:send` on
 * a2a:<agent>/<skill>) through this agent's rules now — may use, asks approval, or not — and the rule that decides.
 */
export async function agentSkillAccess(
  actor: Actor,
  self: { id: string },
  rules: Parameters<typeof evaluatePermissions>[0],
  now = new Date(),
): Promise<SkillAccess[]> {
  const classify = await classifier(rules);
  const peers = await db().agent.findMany({
    // Only peers the actor may see: a team lead does not learn of other teams' agents here either.
    where: {
      AND: [scopeWhere(actor), { id: { not: self.id }, status: { not: "retired" }, agentCard: { not: Prisma.DbNull } }],
    },
    select: { slug: true, agentCard: true },
    orderBy: { slug: "asc" },
    take: 100,
  });
  return peers.flatMap((p) =>
    ((p.agentCard as AgentCard | null)?.skills ?? []).map((s) => {
      const resource = a2aSkillResource(p.slug, s.id);
      const v = evaluatePermissions(rules, { action: A2A_SEND, resource, at: now, ...classify(resource) });
      const rule = v.ruleId ? (rules.find((r) => r.id === v.ruleId)?.position ?? null) : null;
      const verdict = v.outcome === "allow" ? "allow" : v.code === "approval_required" ? "approval" : "deny";
      return { resource, agent: p.slug, skill: s.id, name: s.name, verdict, rule, why: v.reason };
    }),
  );
}
