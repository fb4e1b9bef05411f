import type { Metadata } from "next";
import { AgentForm } from "@/components/agents/agent-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listPeople, listTeams } from "@/lib/domain/agents/queries";
import { listPricedModels } from "@/lib/domain/pricing/queries";
import { registerAgentAction } from "../actions";

export const metadata: Metadata = { title: "Register agent" };

export default async function NewAgentPage() {
  const actor = await requireSessionActor();
  if (!isAdmin(actor)) {
    return (
      <PageHeader
        title="Register agent"
        description="Only admins can register agents. Ask an admin of your organisation."
      />
    );
  }
  const [teams, people, models] = await Promise.all([listTeams(actor), listPeople(), listPricedModels()]);
  return (
    <>
      <PageHeader
        title="Register agent"
        description="The agent starts active, with this config deployed as version 1 (where the environment requires eval suites or a second admin, version 1 waits for them)."
      />
      <Card className="max-w-3xl p-6">
        <AgentForm
          mode="register"
          action={registerAgentAction}
          teams={teams}
          people={people}
          models={models}
          cancelHref="/agents"
        />
      </Card>
    </>
  );
}
