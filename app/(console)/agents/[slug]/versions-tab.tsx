import Link from "next/link";
import { CanaryCard } from "@/components/agents/canary-card";
import { EvalBadges } from "@/components/evals/eval-badges";
import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { isAdmin, type UserActor } from "@/lib/domain/actor";
import type { getAgent } from "@/lib/domain/agents/queries";
import { agentCanary } from "@/lib/domain/canaries/queries";
import { environmentRequiresApproval } from "@/lib/domain/deployments/policies";
import { listOutcomeTypes } from "@/lib/domain/outcomes/outcome-types";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { versionHistory } from "@/lib/domain/versions/queries";
import { decideRequestAction, promoteCanaryAction, rollBackCanaryAction, startCanaryAction } from "../actions";

type Agent = Awaited<ReturnType<typeof getAgent>>;

/** The Versions tab: pending deployment requests, every version with its evals, and the deployment timeline. */
export async function VersionsTab({
  agent,
  actor,
  notice,
}: {
  agent: Agent;
  actor: UserActor;
  notice: Record<string, string | undefined>;
}) {
  const [d, canary, fourEyes, types] = await Promise.all([
    versionHistory(agent),
    agentCanary(agent.id),
    environmentRequiresApproval(agent.environment),
    listOutcomeTypes(actor),
  ]);
  const tz = await consoleTimeZone();
  // Scores of the deployed version, to show each other version's change against what is live.
  const baseline = new Map(
    (agent.deployedVersionId ? (d.evals.get(agent.deployedVersionId) ?? []) : []).map((r) => [r.suite, r.score]),
  );
  // A retired agent keeps its history but gets no new versions or deployments.
  const admin = isAdmin(actor) && agent.status !== "retired";
  const message = notice.deployed
    ? `Version ${notice.deployed} is live.`
    : notice.rolledback
      ? `Rolled back to version ${notice.rolledback}.`
      : notice.pending
        ? `Requested: version ${notice.pending} waits for another admin's approval.`
        : notice.request === "approved"
          ? "Request approved: the version is live."
          : notice.request === "rejected"
            ? "Request rejected."
            : null;
  // A running canary is news and comes first; the form to start one comes after the versions it picks from.
  const canaryCard = (
    <CanaryCard
      canary={canary}
      candidates={d.versions.filter((v) => v.id !== agent.deployedVersionId).map((v) => v.number)}
      stableVersion={agent.deployedVersion?.number ?? null}
      fourEyes={fourEyes}
      timeZone={tz}
      outcomeTypes={types.filter((t) => t.agentIds.includes(agent.id)).map((t) => t.name)}
      actions={
        admin
          ? {
              start: startCanaryAction.bind(null, agent.id, agent.slug),
              promote: promoteCanaryAction.bind(null, agent.id, agent.slug),
              rollback: rollBackCanaryAction.bind(null, agent.id, agent.slug),
            }
          : undefined
      }
    />
  );
  return (
    <div className="space-y-4">
      {message ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {message}
        </p>
      ) : null}
      {d.pendingRequests.length ? (
        <Card className="ring-amber-300">
          <CardHeader
            title="Waiting for approval"
            description="Four-eyes: another admin than the requester approves; approval performs the deployment."
          />
          <ul className="divide-y divide-slate-100 text-sm" data-testid="pending-requests">
            {d.pendingRequests.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                <Badge tone={r.kind === "rollback" ? "amber" : "blue"}>{r.kind}</Badge>
                <span>
                  to{" "}
                  <Link
                    className="font-medium text-indigo-600 hover:underline"
                    href={`/agents/${agent.slug}/versions/${r.version.number}`}
                  >
                    v{r.version.number}
                  </Link>{" "}
                  requested by {r.requestedBy.name}
                </span>
                <span className="text-slate-500">{r.reason || "no reason given"}</span>
                <span className="text-slate-500">{dateTime(r.createdAt, tz)}</span>
                {admin ? (
                  <div className="ml-auto flex gap-2">
                    {r.requestedBy.id === actor.id ? (
                      <span className="self-center text-xs text-slate-500">
                        Another admin must approve your request.
                      </span>
                    ) : (
                      <form action={decideRequestAction.bind(null, agent.slug, r.id, "approve")}>
                        <ConfirmSubmit
                          variant="primary"
                          message={`Approve and deploy version ${r.version.number} now?`}
                        >
                          Approve
                        </ConfirmSubmit>
                      </form>
                    )}
                    <form action={decideRequestAction.bind(null, agent.slug, r.id, "reject")}>
                      <ConfirmSubmit variant="secondary" message="Reject this request?">
                        {r.requestedBy.id === actor.id ? "Withdraw" : "Reject"}
                      </ConfirmSubmit>
                    </form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {canary?.status === "running" ? canaryCard : null}
      <Card>
        <CardHeader
          title="Versions"
          description="Immutable config snapshots, newest first."
          actions={
            <div className="flex gap-2">
              {d.versionCount > 1 ? (
                <ButtonLink href={`/agents/${agent.slug}/compare`} variant="secondary">
                  Compare
                </ButtonLink>
              ) : null}
              {admin ? <ButtonLink href={`/agents/${agent.slug}/versions/new`}>New version</ButtonLink> : null}
            </div>
          }
        />
        <Table>
          <thead className="bg-slate-50">
            <tr>
              <Th>Version</Th>
              <Th className={WIDE}>Model</Th>
              <Th>Evals (latest per suite)</Th>
              <Th className={WIDE}>Note</Th>
              <Th className={WIDE}>Author</Th>
              <Th className={WIDE}>Created</Th>
              <Th className={WIDE} />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="version-rows">
            {d.versions.map((v) => {
              const live = v.id === agent.deployedVersionId;
              const older = agent.deployedVersion ? v.number < agent.deployedVersion.number : false;
              const review = live ? null : (
                <Link
                  href={`/agents/${agent.slug}/versions/${v.number}`}
                  className="text-sm font-medium text-indigo-600 hover:underline"
                >
                  {admin ? (older ? "Review & roll back" : "Review & deploy") : "View diff"}
                </Link>
              );
              return (
                <tr key={v.id}>
                  <Td className="whitespace-normal sm:whitespace-nowrap">
                    <Link
                      href={`/agents/${agent.slug}/versions/${v.number}`}
                      className="font-medium text-slate-900 hover:text-indigo-600"
                    >
                      v{v.number}
                    </Link>{" "}
                    {live ? <Badge tone="green">deployed</Badge> : null}
                    {canary?.status === "running" && canary.versionNumber === v.number ? (
                      <Badge tone="blue">canary {canary.percent} %</Badge>
                    ) : null}
                    {/* On a phone the version's details and its review link ride under it. */}
                    <span className="mt-1 block text-xs text-slate-500 sm:hidden">
                      <span className="font-mono">{v.model}</span> · {v.createdBy?.name ?? "system"} ·{" "}
                      {dateTime(v.createdAt, tz)}
                      {v.note ? <span className="block text-slate-600">{v.note}</span> : null}
                      {review ? <span className="mt-1 block">{review}</span> : null}
                    </span>
                  </Td>
                  <Td className={cn(WIDE, "font-mono text-xs")}>{v.model}</Td>
                  <Td>
                    <EvalBadges runs={d.evals.get(v.id) ?? []} baseline={live ? undefined : baseline} />
                  </Td>
                  <Td className={cn(WIDE, "max-w-xs truncate")}>{v.note || "—"}</Td>
                  <Td className={WIDE}>{v.createdBy?.name ?? "system"}</Td>
                  <Td className={cn(WIDE, "text-slate-500")}>{dateTime(v.createdAt, tz)}</Td>
                  <Td className={cn(WIDE, "text-right")}>{review}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
      {canary?.status === "running" ? null : canaryCard}
      <Card>
        <CardHeader
          title="Deployment timeline"
          description="Who made which version live, when and why. A rollback is a new deployment; history is never rewritten."
        />
        {d.deployments.length === 0 ? (
          <EmptyState title="No deployments yet." />
        ) : (
          <ol className="divide-y divide-slate-100 text-sm" data-testid="deployment-timeline">
            {d.deployments.map((dep) => (
              <li key={dep.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <Badge tone={dep.kind === "rollback" ? "amber" : "blue"}>{dep.kind}</Badge>
                <span className="font-medium">v{dep.version.number}</span>
                <span className="text-slate-600">by {dep.deployedBy?.name ?? "system"}</span>
                {dep.approvedByName ? <span className="text-slate-600">· approved by {dep.approvedByName}</span> : null}
                <span className="text-slate-500">· {dep.reason || "no reason given"}</span>
                <span className="ml-auto text-slate-500">{dateTime(dep.createdAt, tz)}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
