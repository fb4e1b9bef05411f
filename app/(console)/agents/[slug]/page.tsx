import type { Metadata } from "next";
import Link from "next/link";
import { ReasonControl } from "@/components/agents/reason-control";
import { ActionError } from "@/components/ui/action-error";
import { Badge, envTone, statusTone } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { ButtonLink } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { TabStrip } from "@/components/ui/tab-strip";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { getAgent } from "@/lib/domain/agents/queries";
import { resumeAgentAction, retireAgentAction, suspendAgentAction } from "../actions";
import { agentTitle } from "./agent-title";
import { BudgetTab } from "./budget-tab";
import { KeysTab } from "./keys-tab";
import { notFoundIfMissing } from "./not-found-if-missing";
import { OverviewTab } from "./overview-tab";
import { PermissionsTab } from "./permissions-tab";
import { VersionsTab } from "./versions-tab";

/** The tab title names the agent ("Support triage · Agent Control Plane"); the page itself 404s a missing one. */
export const generateMetadata = ({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> =>
  agentTitle(params);

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
  const tab: TabId = TABS.find((t) => t.id === sp.tab)?.id ?? "overview";
  const agent = await notFoundIfMissing(() => getAgent(actor, slug));

  return (
    <>
      <Breadcrumbs trail={[{ href: "/agents", label: "Agents" }]} current={agent.slug} />
      {sp.registered ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {sp.registered === "approval"
            ? "Agent registered. Version 1 waits for a second admin to approve its deployment."
            : sp.registered === "evals"
              ? `Agent registered. Version 1 is not deployed: ${agent.environment} requires eval suites it has not passed yet. Record their runs, then deploy it from Versions.`
              : "Agent registered with version 1 deployed."}
        </p>
      ) : null}
      {sp.saved ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Changes saved.
        </p>
      ) : null}
      <ActionError searchParams={sp} className="mb-4" />
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
            <span>team {agent.team.name}</span>
            <span>owner {agent.owner?.name ?? "none"}</span>
          </div>
        </div>
        {isAdmin(actor) ? (
          <div className="flex flex-wrap items-start gap-2">
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

      <TabStrip label="Agent sections" className="mb-4 border-b border-slate-200">
        {TABS.map((t) => (
          <Link
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            href={`/agents/${agent.slug}${t.id === "overview" ? "" : `?tab=${t.id}`}`}
            className={cn(
              "-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium",
              tab === t.id
                ? "border-indigo-600 text-indigo-700"
                : "border-transparent text-slate-500 hover:text-slate-800",
            )}
          >
            {t.label}
          </Link>
        ))}
      </TabStrip>

      <div role="tabpanel">
        {tab === "overview" ? <OverviewTab agent={agent} actor={actor} /> : null}
        {tab === "versions" ? <VersionsTab agent={agent} actor={actor} notice={sp} /> : null}
        {tab === "keys" ? (
          <KeysTab agent={agent} actor={actor} canEdit={isAdmin(actor) && agent.status !== "retired"} />
        ) : null}
        {tab === "permissions" ? <PermissionsTab agent={agent} actor={actor} /> : null}
        {tab === "budget" ? <BudgetTab agent={agent} actor={actor} /> : null}
      </div>
    </>
  );
}
