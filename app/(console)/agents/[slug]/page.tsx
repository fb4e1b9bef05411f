import type { Metadata } from "next";
import Link from "next/link";
import { IssueKeyForm, RotateKeyForm } from "@/components/agents/key-controls";
import { ReasonControl } from "@/components/agents/reason-control";
import { BudgetTable } from "@/components/budgets/budget-table";
import { SpendChart } from "@/components/charts/spend-chart";
import { EvalBadges } from "@/components/evals/eval-badges";
import { ago, dateTime } from "@/components/format";
import { Badge, envTone, statusTone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Table, Td, Th } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import type { UserActor } from "@/lib/domain/actor";
import { isAdmin } from "@/lib/domain/actor";
import { getAgentDetail } from "@/lib/domain/agents/queries";
import { canManageBudget } from "@/lib/domain/budgets/access";
import { formatUsd } from "@/lib/domain/money";
import { spendSeries } from "@/lib/domain/spend/queries";
import { versionConfig } from "@/lib/domain/versions/schemas";
import { seriesView } from "@/lib/http/spend-views";
import {
  createKeyAction,
  decideRequestAction,
  resumeAgentAction,
  retireAgentAction,
  revokeKeyAction,
  rotateKeyAction,
  suspendAgentAction,
} from "../actions";
import { notFoundIfMissing } from "./not-found-if-missing";
import { PermissionsTab } from "./permissions-tab";

export const metadata: Metadata = { title: "Agent" };

const TABS = [
  { id: "overview", label: "Overview" },
  { id: "versions", label: "Versions" },
  { id: "keys", label: "Keys" },
  { id: "permissions", label: "Permissions" },
  { id: "budget", label: "Budget" },
] as const;
type TabId = (typeof TABS)[number]["id"];

export default async function AgentPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const { slug } = await params;
  const sp = await searchParams;
  const tab: TabId = TABS.some((t) => t.id === sp.tab) ? (sp.tab as TabId) : "overview";
  const d = await notFoundIfMissing(() => getAgentDetail(actor, slug));
  const { agent } = d;

  return (
    <>
      <nav className="mb-2 text-sm text-slate-500" aria-label="Breadcrumb">
        <Link href="/agents" className="hover:text-slate-900">
          Agents
        </Link>{" "}
        / <span className="text-slate-700">{agent.slug}</span>
      </nav>
      {sp.registered ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Agent registered with version 1 deployed.
        </p>
      ) : null}
      {sp.saved ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Changes saved.
        </p>
      ) : null}
      {sp.actionError ? (
        <p role="alert" className="mb-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {sp.actionError}
        </p>
      ) : null}
      {agent.status === "retired" ? (
        <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm font-medium text-slate-700">
          Retired{agent.statusReason ? `: ${agent.statusReason}` : ""}. Its keys are revoked and it cannot run again;
          its history stays.
        </p>
      ) : null}
      {agent.status === "suspended" ? (
        <p className="mb-4 rounded-md bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800">
          Suspended{agent.statusReason ? `: ${agent.statusReason}` : ""}. Every runtime authorization is denied.
        </p>
      ) : null}
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">{agent.name}</h1>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
            <span className="font-mono">{agent.slug}</span>
            <Badge tone={envTone[agent.environment]}>{agent.environment}</Badge>
            <Badge tone={statusTone[agent.status]}>{agent.status}</Badge>
            <span>· {agent.team.name}</span>
            <span>· owner {agent.owner?.name ?? "none"}</span>
          </div>
        </div>
        {isAdmin(actor) ? (
          <div className="flex items-start gap-2">
            {agent.status === "active" ? (
              <ReasonControl
                action={suspendAgentAction.bind(null, agent.id, agent.slug)}
                label="Suspend"
                submitLabel="Suspend now"
                confirm="Suspend this agent? Every runtime call will be denied until it is resumed."
              />
            ) : null}
            {agent.status === "suspended" ? (
              <form action={resumeAgentAction.bind(null, agent.id, agent.slug)}>
                <ConfirmSubmit
                  variant="secondary"
                  message="Resume this agent? Its runtime calls will be evaluated normally again."
                >
                  Resume
                </ConfirmSubmit>
              </form>
            ) : null}
            {agent.status !== "retired" ? (
              <>
                <ReasonControl
                  action={retireAgentAction.bind(null, agent.id, agent.slug)}
                  label="Retire"
                  submitLabel="Retire for good"
                  variant="secondary"
                  confirm={`Retire ${agent.slug} for good? Its keys are revoked now, pending deployment requests are rejected, and it cannot be resumed. Its history stays.`}
                />
                <ButtonLink href={`/agents/${agent.slug}/edit`} variant="secondary">
                  Edit details
                </ButtonLink>
              </>
            ) : null}
          </div>
        ) : null}
      </div>

      <div role="tablist" aria-label="Agent sections" className="mb-4 flex gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <Link
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            href={`/agents/${agent.slug}${t.id === "overview" ? "" : `?tab=${t.id}`}`}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              tab === t.id
                ? "border-indigo-600 text-indigo-700"
                : "border-transparent text-slate-500 hover:text-slate-800",
            )}
          >
            {t.label}
          </Link>
        ))}
      </div>

      <div role="tabpanel">
        {tab === "overview" ? <Overview d={d} actor={actor} /> : null}
        {tab === "versions" ? <Versions d={d} actor={actor} notice={sp} /> : null}
        {tab === "keys" ? <Keys d={d} canEdit={isAdmin(actor) && agent.status !== "retired"} /> : null}
        {tab === "permissions" ? <PermissionsTab agent={agent} rules={d.rules} actor={actor} /> : null}
        {tab === "budget" ? <Budgets d={d} actor={actor} /> : null}
      </div>
    </>
  );
}

type Detail = Awaited<ReturnType<typeof getAgentDetail>>;

function Stat({ label, value, sub }: { label: string; value: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <Card className="px-4 py-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold tabular-nums">{value}</p>
      {sub ? <p className="text-xs text-slate-500">{sub}</p> : null}
    </Card>
  );
}

async function Overview({ d, actor }: { d: Detail; actor: UserActor }) {
  const v = d.agent.deployedVersion;
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const spend = seriesView(
    await spendSeries(actor, {
      agentId: d.agent.id,
      from: new Date(to.getTime() - 30 * 86_400_000),
      to,
      bucket: "day",
      groupBy: "model",
    }),
  );
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-4">
        <Stat label="Deployed version" value={v ? `v${v.number}` : "—"} sub={v ? v.model : "nothing deployed"} />
        <Stat
          label="Spend this month"
          value={formatUsd(d.spendThisMonthMicros)}
          sub={
            d.unpricedCallsThisMonth > 0 ? (
              <span className="font-medium text-amber-700">
                + {d.unpricedCallsThisMonth.toLocaleString("en-US")} unpriced calls (cost unknown)
              </span>
            ) : (
              "UTC calendar month"
            )
          }
        />
        <Stat label="Last activity" value={ago(d.agent.lastActivityAt)} />
        <Stat label="Versions" value={d.versionCount} sub={`${d.rules.length} permission rules`} />
      </div>
      {d.agent.description ? <p className="text-sm text-slate-700">{d.agent.description}</p> : null}
      <Card>
        <CardHeader
          title="Spend, last 30 days"
          description={`By model, ${spend.totals.calls.toLocaleString("en-US")} calls${spend.totals.unpricedCalls ? `, ${spend.totals.unpricedCalls.toLocaleString("en-US")} of them unpriced` : ""}.`}
          actions={
            <Link
              href={`/spend?range=30d&bucket=day&groupBy=model&agentId=${d.agent.id}`}
              className="text-sm font-medium text-indigo-600 hover:underline"
            >
              Explore
            </Link>
          }
        />
        {spend.totals.calls === 0 ? (
          <EmptyState title="No usage in the last 30 days." />
        ) : (
          <div className="p-4">
            <SpendChart data={spend} height={220} />
          </div>
        )}
      </Card>
      {d.budgets.length ? (
        <Card>
          <CardHeader title="Budgets" description="Every budget covering this agent must admit a call." />
          <BudgetTable budgets={d.budgets} />
        </Card>
      ) : null}
      <Card>
        <CardHeader
          title="Live config"
          description={v ? `Version ${v.number}, served to the runtime at GET /api/v1/runtime/config` : undefined}
        />
        {v ? (
          <pre className="overflow-x-auto p-4 font-mono text-xs text-slate-800">
            {JSON.stringify(versionConfig(v), null, 2)}
          </pre>
        ) : (
          <EmptyState title="No version deployed." />
        )}
      </Card>
    </div>
  );
}

function Versions({ d, actor, notice }: { d: Detail; actor: UserActor; notice: Record<string, string | undefined> }) {
  const { agent } = d;
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
  return (
    <div className="space-y-4">
      {message ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {message}
        </p>
      ) : null}
      {notice.request === "error" ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {notice.message}
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
                <span className="text-slate-400">{dateTime(r.createdAt)}</span>
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
              <Th>Model</Th>
              <Th>Evals (latest per suite)</Th>
              <Th>Note</Th>
              <Th>Author</Th>
              <Th>Created</Th>
              <Th />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="version-rows">
            {d.versions.map((v) => {
              const live = v.id === agent.deployedVersionId;
              const older = agent.deployedVersion ? v.number < agent.deployedVersion.number : false;
              return (
                <tr key={v.id}>
                  <Td>
                    <Link
                      href={`/agents/${agent.slug}/versions/${v.number}`}
                      className="font-medium text-slate-900 hover:text-indigo-600"
                    >
                      v{v.number}
                    </Link>{" "}
                    {live ? <Badge tone="green">deployed</Badge> : null}
                  </Td>
                  <Td className="font-mono text-xs">{v.model}</Td>
                  <Td>
                    <EvalBadges runs={d.evals.get(v.id) ?? []} baseline={live ? undefined : baseline} />
                  </Td>
                  <Td className="max-w-xs truncate">{v.note || "—"}</Td>
                  <Td>{v.createdBy?.name ?? "system"}</Td>
                  <Td className="text-slate-500">{dateTime(v.createdAt)}</Td>
                  <Td className="text-right">
                    {!live ? (
                      <Link
                        href={`/agents/${agent.slug}/versions/${v.number}`}
                        className="text-sm font-medium text-indigo-600 hover:underline"
                      >
                        {admin ? (older ? "Review & roll back" : "Review & deploy") : "View diff"}
                      </Link>
                    ) : null}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
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
                <span className="ml-auto text-slate-400">{dateTime(dep.createdAt)}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}

function Keys({ d, canEdit }: { d: Detail; canEdit: boolean }) {
  const { agent } = d;
  const now = Date.now();
  return (
    <Card>
      <CardHeader
        title="API keys"
        description="Keys the agent runtime sends as Authorization: Bearer acp_ak_…. The secret is shown once; only a hash is stored."
      />
      {canEdit ? <IssueKeyForm action={createKeyAction.bind(null, agent.id, agent.slug)} /> : null}
      {d.keys.length === 0 ? (
        <EmptyState title="No keys issued for this agent.">
          {canEdit ? "Issue one above for its runtime." : "An admin issues keys."}
        </EmptyState>
      ) : (
        <Table>
          <thead className="bg-slate-50">
            <tr>
              <Th>Name</Th>
              <Th>Prefix</Th>
              <Th>Status</Th>
              <Th>Created</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              {canEdit ? <Th /> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="key-rows">
            {d.keys.map((k) => {
              const expired = !!k.expiresAt && k.expiresAt.getTime() <= now;
              const live = !k.revokedAt && !expired;
              return (
                <tr key={k.id}>
                  <Td>{k.name}</Td>
                  <Td className="font-mono text-xs">{k.prefix}…</Td>
                  <Td>
                    {k.revokedAt ? (
                      <Badge tone="red">revoked</Badge>
                    ) : expired ? (
                      <Badge tone="gray">expired</Badge>
                    ) : k.rotatedToId ? (
                      <Badge tone="amber">rotating out</Badge>
                    ) : (
                      <Badge tone="green">active</Badge>
                    )}
                  </Td>
                  <Td>{dateTime(k.createdAt)}</Td>
                  <Td>{k.expiresAt ? dateTime(k.expiresAt) : "never"}</Td>
                  <Td>{ago(k.lastUsedAt)}</Td>
                  {canEdit ? (
                    <Td className="text-right">
                      {live ? (
                        <div className="flex items-start justify-end gap-2">
                          {!k.rotatedToId ? (
                            <RotateKeyForm
                              name={k.name}
                              action={rotateKeyAction.bind(null, agent.id, agent.slug, k.id)}
                            />
                          ) : null}
                          <form action={revokeKeyAction.bind(null, agent.id, agent.slug, k.id)}>
                            <ConfirmSubmit
                              message={`Revoke key "${k.name}" (${k.prefix})? Runtimes using it get 401 from now on.`}
                            >
                              Revoke
                            </ConfirmSubmit>
                          </form>
                        </div>
                      ) : null}
                    </Td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

function Budgets({ d, actor }: { d: Detail; actor: UserActor }) {
  const canAdd = canManageBudget(actor, { scope: "agent", teamId: d.agent.teamId });
  return (
    <Card>
      <CardHeader
        title="Budgets covering this agent"
        description="Its own budgets, its team's and the organisation's: every one of them must admit a call."
        actions={canAdd ? <ButtonLink href={`/budgets/new?agentId=${d.agent.id}`}>Add agent budget</ButtonLink> : null}
      />
      {d.budgets.length === 0 ? (
        <EmptyState title="No budget covers this agent." />
      ) : (
        <BudgetTable budgets={d.budgets} />
      )}
    </Card>
  );
}
