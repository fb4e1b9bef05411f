import type { Metadata } from "next";
import { BudgetForm } from "@/components/budgets/budget-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listAgentOptions, listTeams } from "@/lib/domain/agents/queries";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { createBudgetAction, previewCreateBudgetAction } from "../actions";

export const metadata: Metadata = { title: "New budget" };

export default async function NewBudgetPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  if (!isAdmin(actor) && actor.role !== "team_lead") {
    return <PageHeader title="New budget" description="Only admins and team leads create budgets." />;
  }
  const sp = await searchParams;
  // listTeams/listAgentOptions are already scoped: a team lead gets only their teams and their agents.
  const [teams, agents] = await Promise.all([listTeams(actor), listAgentOptions(actor)]);
  // Opened from an agent's Budget tab: Cancel goes back there.
  const from = agents.find((a) => a.id === sp.agentId);
  const scopes = isAdmin(actor) ? (["agent", "team", "org"] as const) : (["agent", "team"] as const);
  return (
    <>
      <Breadcrumbs trail={[{ href: "/budgets", label: "Budgets" }]} current="New budget" />
      <PageHeader
        title="New budget"
        description="A spend limit per period, with alerts at thresholds and an action when it is exhausted."
      />
      <Card className="max-w-3xl p-4 sm:p-6">
        <BudgetForm
          action={createBudgetAction}
          preview={previewCreateBudgetAction}
          timeZone={await consoleTimeZone()}
          scopes={[...scopes]}
          agents={agents.map((a) => ({ id: a.id, label: a.slug }))}
          teams={teams.map((t) => ({ id: t.id, label: t.name }))}
          initial={{
            scope: sp.agentId ? "agent" : sp.teamId ? "team" : undefined,
            agentId: sp.agentId,
            teamId: sp.teamId,
          }}
          submitLabel="Create budget"
          cancelHref={from ? `/agents/${from.slug}?tab=budget` : "/budgets"}
        />
      </Card>
    </>
  );
}
