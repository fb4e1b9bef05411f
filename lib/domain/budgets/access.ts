import { type Actor, canSeeTeam, isAdmin } from "../actor";
import { forbidden, notFound } from "../errors";

/**
 * Who may create, edit or archive a budget: admins any; team leads their own teams' budgets (team budgets and
 * budgets of agents in their teams), never organisation budgets; everyone else nobody.
 * `teamId` is the budget's team, or its agent's team.
 */
export function canManageBudget(actor: Actor, budget: { scope: string; teamId: string | null }): boolean {
  if (isAdmin(actor)) return true;
  return (
    actor.type === "user" &&
    actor.role === "team_lead" &&
    budget.scope !== "org" &&
    budget.teamId !== null &&
    actor.teamIds.includes(budget.teamId)
  );
}

/** Organisation budgets are visible to everyone; team and agent budgets to those who may see the team. */
export const canSeeBudget = (actor: Actor, budget: { scope: string; teamId: string | null }) =>
  budget.scope === "org" || canSeeTeam(actor, budget.teamId);

/** A budget outside a team lead's teams is "not found" (as when reading it), not 403, which would confirm it exists. */
export function requireManageBudget(actor: Actor, budget: { scope: string; teamId: string | null }) {
  if (!canSeeBudget(actor, budget)) throw notFound("Budget");
  if (!canManageBudget(actor, budget))
    throw forbidden(
      budget.scope === "org"
        ? "Only admins manage organisation budgets"
        : "You can only manage your own teams' budgets",
    );
}
