import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, canSeeTeam, isAdmin, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { forbidden, invalid } from "../errors";
import { usdToMicros } from "../money";
import { requireManageBudget } from "./access";
import { budgetReplayImpact } from "./replay";
import { BudgetInputSchema } from "./schemas";

export const normaliseThresholds = (t: number[]) => [...new Set(t)].sort((a, b) => a - b);

/**
 * Creates a budget; its audit event keeps what it would have done to the last 7 days of recorded calls
 * (`after.impact`, the replay the console previews) unless `impact` is false (a configuration apply).
 */
export async function createBudget(
  actor: Actor,
  meta: RequestMeta,
  raw: unknown,
  { impact = true }: { impact?: boolean } = {},
) {
  // Who may create budgets at all is known before the input is read (viewers get 403, not 422).
  if (!isAdmin(actor) && !(actor.type === "user" && actor.role === "team_lead"))
    throw forbidden("Only admins and team leads create budgets");
  const input = BudgetInputSchema.parse(raw);
  const replay = impact ? await budgetReplayImpact(actor, { op: "create", budget: input }) : undefined;
  return inTransaction(async (tx) => {
    // Another team's agent or team is "unknown" to a team lead, exactly as a missing one (a 403 would confirm it).
    const agent =
      input.scope === "agent"
        ? await tx.agent.findUnique({ where: { id: input.agentId! }, select: { id: true, teamId: true } })
        : null;
    if (input.scope === "agent" && !(agent && canSeeTeam(actor, agent.teamId)))
      throw invalid("Unknown agent", { agentId: ["this agent does not exist"] });
    const team =
      input.scope === "team" ? await tx.team.findUnique({ where: { id: input.teamId! }, select: { id: true } }) : null;
    if (input.scope === "team" && !(team && canSeeTeam(actor, team.id)))
      throw invalid("Unknown team", { teamId: ["this team does not exist"] });
    const teamId = input.scope === "team" ? input.teamId! : (agent?.teamId ?? null);
    requireManageBudget(actor, { scope: input.scope, teamId });
    const budget = await tx.budget.create({
      data: {
        name: input.name,
        scope: input.scope,
        agentId: input.scope === "agent" ? input.agentId : null,
        teamId: input.scope === "team" ? input.teamId : null,
        period: input.period,
        limitMicros: usdToMicros(input.limitUsd),
        thresholds: normaliseThresholds(input.thresholds),
        hardAction: input.hardAction,
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "budget.created",
      targetType: "budget",
      targetId: budget.id,
      agentId: budget.agentId,
      teamId,
      after: replay ? { ...budget, impact: replay } : budget,
    });
    return budget;
  });
}
