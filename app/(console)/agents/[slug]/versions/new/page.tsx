import type { Metadata } from "next";
import { VersionForm } from "@/components/agents/version-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { getAgent } from "@/lib/domain/agents/queries";
import { listPricedModels } from "@/lib/domain/pricing/queries";
import { createVersionAction } from "../../../actions";
import { agentTitle } from "../../agent-title";
import { notFoundIfMissing } from "../../not-found-if-missing";

export const generateMetadata = ({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> =>
  agentTitle(params, "New version");

export default async function NewVersionPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requireSessionActor();
  const { slug } = await params;
  const agent = await notFoundIfMissing(() => getAgent(actor, slug));
  if (!isAdmin(actor)) return <PageHeader title="New version" description="Only admins can create versions." />;
  const live = agent.deployedVersion;
  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/agents", label: "Agents" },
          { href: `/agents/${agent.slug}?tab=versions`, label: agent.slug },
        ]}
        current="New version"
      />
      <PageHeader
        title="New version"
        description={`Starts from the live config${live ? ` (version ${live.number})` : ""}. Versions are immutable; creating one does not deploy it.`}
      />
      <Card className="max-w-3xl p-6">
        <VersionForm
          action={createVersionAction.bind(null, agent.id, agent.slug)}
          models={await listPricedModels()}
          cancelHref={`/agents/${agent.slug}?tab=versions`}
          defaults={{
            model: live?.model ?? "",
            fallbackModel: live?.fallbackModel ?? "",
            systemPrompt: live?.systemPrompt ?? "",
            tools: Array.isArray(live?.tools) ? (live.tools as string[]).join("\n") : "",
            parameters: JSON.stringify(live?.parameters ?? {}, null, 2),
            extra: JSON.stringify(live?.extra ?? {}, null, 2),
          }}
        />
      </Card>
    </>
  );
}
