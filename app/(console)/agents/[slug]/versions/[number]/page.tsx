import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeployForm } from "@/components/agents/deploy-form";
import { VersionDiff } from "@/components/agents/version-diff";
import { EvalRunsTable } from "@/components/evals/eval-runs-table";
import { dateTime, usd, usdExact } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { getAgentVersion } from "@/lib/domain/agents/queries";
import { environmentRequiresApproval } from "@/lib/domain/deployments/policies";
import { describeGateFailure } from "@/lib/domain/evals/gates";
import { listEvalRuns, versionGateStatus } from "@/lib/domain/evals/queries";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { compareVersions } from "@/lib/domain/versions/compare";
import { deployVersionAction } from "../../../actions";
import { agentTitle } from "../../agent-title";
import { notFoundIfMissing } from "../../not-found-if-missing";

export const generateMetadata = async ({
  params,
}: {
  params: Promise<{ slug: string; number: string }>;
}): Promise<Metadata> => agentTitle(params, `Version ${(await params).number}`);

export default async function VersionPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; number: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  const { slug, number } = await params;
  const n = Number(number);
  if (!Number.isInteger(n) || n < 1) notFound();
  const { agent, version, live } = await notFoundIfMissing(() => getAgentVersion(actor, slug, n));
  const { created } = await searchParams;
  const isLive = live?.id === version.id;
  const kind = live && version.number < live.number ? "rollback" : "deploy";
  const [needsApproval, { items: runs, nextCursor: moreRuns }, gates] = await Promise.all([
    environmentRequiresApproval(agent.environment),
    listEvalRuns(actor, agent.id, version.number, { limit: 200 }),
    versionGateStatus(agent.environment, version.id),
  ]);
  const evalCost = runs.reduce((sum, r) => sum + (r.costMicros ?? 0n), 0n);
  const gateText = gates.failures.map(describeGateFailure);
  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/agents", label: "Agents" },
          { href: `/agents/${agent.slug}?tab=versions`, label: agent.slug },
        ]}
        current={`Version ${version.number}`}
      />
      {created ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Version {version.number} created. It is not live until deployed.
        </p>
      ) : null}
      <PageHeader
        title={`Version ${version.number}`}
        description={
          <>
            {version.note || "No note"} · by {version.createdBy?.name ?? "system"} · {dateTime(version.createdAt, tz)}{" "}
            {isLive ? <Badge tone="green">deployed</Badge> : null}
          </>
        }
      />
      <div className="space-y-4">
        {live && !isLive ? (
          <Card>
            <CardHeader title={`Changes from the live version (${live.number}) to version ${version.number}`} />
            <div className="p-4">
              <VersionDiff
                diff={compareVersions(live, version)}
                left={`v${live.number} (live)`}
                right={`v${version.number}`}
              />
            </div>
          </Card>
        ) : null}
        {isAdmin(actor) && !isLive ? (
          <Card>
            <CardHeader
              title={kind === "rollback" ? "Roll back" : "Deploy"}
              description={
                needsApproval
                  ? `${agent.environment} requires four-eyes approval: this creates a request that another admin approves.`
                  : "Takes effect at once: the runtime config endpoint serves this version with a new ETag."
              }
            />
            <div className="p-4">
              <DeployForm
                action={deployVersionAction.bind(null, agent.id, agent.slug, version.number)}
                kind={kind}
                versionNumber={version.number}
                needsApproval={needsApproval}
                gateFailures={gateText}
              />
            </div>
          </Card>
        ) : null}
        <Card>
          <CardHeader
            title="Eval runs"
            description={
              <>
                {gates.required.length
                  ? `${agent.environment} requires ${gates.required.join(", ")} to pass${gates.maxCostPerPassedCaseMicros === null ? "" : ` at no more than ${usdExact(gates.maxCostPerPassedCaseMicros)} per passed case`} before a deployment. `
                  : `${agent.environment} has no deployment gate. `}
                {runs.length
                  ? `What quality cost on this version: ${usd(evalCost)} across ${moreRuns ? "the latest " : ""}${runs.length} run${runs.length === 1 ? "" : "s"}${moreRuns ? " (the API lists older ones)" : ""}.`
                  : null}
              </>
            }
          />
          <EvalRunsTable runs={runs} timeZone={tz} />
        </Card>
        <Card>
          <CardHeader title="Config" />
          <pre className="whitespace-pre-wrap p-4 [overflow-wrap:anywhere] font-mono text-xs">
            {JSON.stringify(
              {
                model: version.model,
                fallbackModel: version.fallbackModel,
                systemPrompt: version.systemPrompt,
                tools: version.tools,
                parameters: version.parameters,
                extra: version.extra,
              },
              null,
              2,
            )}
          </pre>
        </Card>
      </div>
    </>
  );
}
