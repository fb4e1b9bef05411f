import { inTransaction } from "@/lib/db/tx";
import { forbidden, invalid } from "../errors";
import { isAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { usdToMicros } from "../money";
import { BudgetInputSchema, type BudgetInput } from "./schemas";

export async function createBudget(actor: Actor, meta: RequestMeta, raw: BudgetInput) {
  const input = BudgetInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    const agent = input.scope === "agent" ? await tx.agent.findUnique({ where: { id: input.agentId! }, select: { id: true, teamId: true } }) : null;
    if (input.scope === "agent" && !agent) throw invalid("Unknown agent", { agentId: ["this agent does not exist"] });
    const teamId = input.scope === "team" ? input.teamId! : (agent?.teamId ?? null);
    // Team leads manage their own teams' budgets; organisation budgets are for admins.
    const allowed = isAdmin(actor) || (actor.type === "user" && actor.role === "team_lead" && input.scope !== "org" && teamId !== null && actor.teamIds.includes(teamId));
    if (!allowed) throw forbidden("You cannot create this budget");
    const budget = await tx.budget.create({
      data: {
        name: input.name,
        scope: input.scope,
        agentId: input.scope === "agent" ? input.agentId : null,
        teamId: input.scope === "team" ? input.teamId : null,
        period: input.period,
        limitMicros: usdToMicros(input.limitUsd),
        thresholds: [...new Set(input.thresholds)].sort((a, b) => a - b),
        hardAction: input.hardAction,
      },
    });
    await writeAuditEvent(tx, actor, meta, { action: "budget.created", targetType: "budget", targetId: budget.id, agentId: budget.agentId, teamId, after: budget });
    return budget;
  });
}
