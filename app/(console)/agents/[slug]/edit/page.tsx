import type { Metadata } from "next";
import { AgentForm } from "@/components/agents/agent-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { getAgent, listPeople, listTeams } from "@/lib/domain/agents/queries";
import { updateAgentAction } from "../../actions";
import { agentTitle } from "../agent-title";
import { notFoundIfMissing } from "../not-found-if-missing";

export const generateMetadata = ({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> =>
  agentTitle(params, "Edit");

export default async function EditAgentPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requireSessionActor();
  const { slug } = await params;
  const agent = await notFoundIfMissing(() => getAgent(actor, slug));
  if (!isAdmin(actor)) return <PageHeader title={`Edit ${agent.name}`} description="Only admins can edit agents." />;
  const [teams, people] = await Promise.all([listTeams(actor), listPeople()]);
  return (
    <>
      <PageHeader title={`Edit ${agent.name}`} description="Metadata only. Config changes are new versions." />
      <Card className="max-w-3xl p-6">
        <AgentForm
          mode="edit"
          action={updateAgentAction.bind(null, agent.id)}
          teams={teams}
          people={people}
          models={[]}
          initial={{
            slug: agent.slug,
            name: agent.name,
            description: agent.description,
            teamId: agent.teamId,
            environment: agent.environment,
            ownerId: agent.ownerId,
          }}
          cancelHref={`/agents/${agent.slug}`}
        />
      </Card>
    </>
  );
}
