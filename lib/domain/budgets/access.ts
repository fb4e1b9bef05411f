import { isAdmin, type Actor } from "../actor";
import { forbidden } from "../errors";

/**
 * Who may create, edit or archive a budget: admins any; team leads their own teams' budgets (team budgets and
 * budgets of agents in their teams), never organisation budgets; everyone else nobody.
 * `teamId` is the budget's team, or its agent's team.
 */
export function canManageBudget(actor: Actor, budget: { scope: string; teamId: string | null }): boolean {
  if (isAdmin(actor)) return true;
  return actor.type === "user" && actor.role === "team_lead" && budget.scope !== "org" && budget.teamId !== null && actor.teamIds.includes(budget.teamId);
}

export function requireManageBudget(actor: Actor, budget: { scope: string; teamId: string | null }) {
  if (!canManageBudget(actor, budget)) throw forbidden(budget.scope === "org" ? "Only admins manage organisation budgets" : "You can only manage your own teams' budgets");
}
