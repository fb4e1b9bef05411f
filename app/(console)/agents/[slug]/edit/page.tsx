import type { Metadata } from "next";
import { AgentForm } from "@/components/agents/agent-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { getAgent, listPeople, listTeams } from "@/lib/domain/agents/queries";
import { ENVIRONMENTS } from "@/lib/domain/agents/schemas";
import { describeGateFailure } from "@/lib/domain/evals/gates";
import { versionGateStatus } from "@/lib/domain/evals/queries";
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
  const live = agent.deployedVersion;
  const [teams, people, gates] = await Promise.all([
    listTeams(actor),
    listPeople(),
    // Moving the agent puts its live version live in the new environment: what each environment's gates say of it.
    Promise.all(
      ENVIRONMENTS.map(async (env) => {
        const failures = live ? (await versionGateStatus(env, live.id)).failures : [];
        return [env, failures.map(describeGateFailure)] as const;
      }),
    ),
  ]);
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
          moveGates={{ version: live?.number ?? null, failures: Object.fromEntries(gates) }}
        />
      </Card>
    </>
  );
}
