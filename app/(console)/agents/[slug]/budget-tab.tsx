import { BudgetTable } from "@/components/budgets/budget-table";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import type { UserActor } from "@/lib/domain/actor";
import { canManageBudget } from "@/lib/domain/budgets/access";
import { budgetsCoveringAgent } from "@/lib/domain/budgets/queries";

/** The Budget tab: every budget that must admit the agent's calls. */
export async function BudgetTab({ agent, actor }: { agent: { id: string; teamId: string }; actor: UserActor }) {
  const budgets = await budgetsCoveringAgent(actor, agent);
  const canAdd = canManageBudget(actor, { scope: "agent", teamId: agent.teamId });
  return (
    <Card>
      <CardHeader
        title="Budgets covering this agent"
        description="Its own budgets, its team's and the organisation's: every one of them must admit a call."
        actions={canAdd ? <ButtonLink href={`/budgets/new?agentId=${agent.id}`}>Add agent budget</ButtonLink> : null}
      />
      {budgets.length === 0 ? <EmptyState title="No budget covers this agent." /> : <BudgetTable budgets={budgets} />}
    </Card>
  );
}
