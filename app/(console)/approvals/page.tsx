import { formatDistanceStrict } from "date-fns";
import type { Metadata } from "next";
import Link from "next/link";
import { VersionDiff } from "@/components/agents/version-diff";
import { RuntimeApprovalForm } from "@/components/approvals/runtime-approval-form";
import { dateTime, money } from "@/components/format";
import { ActionError } from "@/components/ui/action-error";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Input } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { canDecideApprovals } from "@/lib/domain/approvals/decide-approval";
import { type ApprovalView, listApprovals, pendingApprovalCount } from "@/lib/domain/approvals/queries";
import { listAuditSinks } from "@/lib/domain/audit/sinks/commands";
import type { CanaryChange } from "@/lib/domain/canaries/schemas";
import {
  type AgentEnvironmentChange,
  overriddenGates,
  type PolicyChange,
  type RetentionChange,
  type SinkRemoval,
} from "@/lib/domain/changes/open-change-request";
import { deploymentDiffs, listChangeRequests, listOwnChangeRequests } from "@/lib/domain/changes/queries";
import { describeGateFailure } from "@/lib/domain/evals/gates";
import { suitesText } from "@/lib/domain/evals/schemas";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { revealHidden } from "@/lib/domain/text";
import { pageOrFirst } from "@/lib/http/page-cursor";
import { decideChangeAction, decideRuntimeApprovalAction } from "./actions";

export const metadata: Metadata = { title: "Approvals" };

type Request = Awaited<ReturnType<typeof listChangeRequests>>[number];

const reveal = (text: string) => revealHidden(text).text;

const STATUS_TONE: Record<string, Tone> = {
  pending: "amber",
  approved: "green",
  redeemed: "green",
  denied: "red",
  rejected: "gray",
  expired: "gray",
};

/** An agent's call waiting for a person: what it wants to do, why it asks, and how long is left. */
function RuntimeApprovalItem({ a, tz, decide, now }: { a: ApprovalView; tz: string; decide: boolean; now: Date }) {
  // What the agent sent, every character that hides or reorders text shown (⟨U+202E⟩): "refund on acct/9876" must
  // not be what a right-to-left override makes of acct/6789.
  const [shownAction, shownResource, shownContext] = [
    revealHidden(a.action),
    revealHidden(a.resource),
    revealHidden(a.context ? JSON.stringify(a.context, null, 2) : ""),
  ];
  const [action, resource] = [shownAction.text, shownResource.text];
  const hidden = shownAction.hidden + shownResource.hidden + shownContext.hidden;
  const summary = `${a.agent.slug}: ${action} on ${resource}`;
  const left = a.expiresAt.getTime() - now.getTime();
  return (
    <li className="flex flex-wrap items-start gap-x-4 gap-y-3 px-4 py-3" data-testid="runtime-approval">
      <div className="min-w-0 flex-1 basis-80 space-y-1">
        <p className="flex flex-wrap items-center gap-2">
          <Badge tone="violet">agent call</Badge>
          <Link className="font-medium text-indigo-700 hover:underline" href={`/agents/${a.agent.slug}`}>
            {a.agent.slug}
          </Link>
          <span className="text-slate-700">wants to</span>
          <code className="rounded bg-slate-100 px-1 py-0.5 text-[13px] text-slate-900">{action}</code>
          <span className="text-slate-700">on</span>
          <code className="break-all rounded bg-slate-100 px-1 py-0.5 text-[13px] text-slate-900">{resource}</code>
        </p>
        <p className="text-slate-600">
          {a.estimatedCostUsd === null ? "No cost estimate" : `Estimated ${money(a.estimatedCostUsd)}`}
          {a.rulePosition === null ? null : (
            <>
              {" · asked by "}
              <Link
                className="text-indigo-700 underline underline-offset-2"
                href={`/agents/${a.agent.slug}?tab=permissions`}
              >
                rule #{a.rulePosition}
              </Link>
            </>
          )}
          {" · "}
          {dateTime(a.createdAt, tz)}
          {" · "}
          <span className={left < 2 * 60_000 ? "font-medium text-rose-700" : undefined}>
            {left > 0 ? `expires in ${formatDistanceStrict(a.expiresAt, now)}` : "expiring now"}
          </span>
        </p>
        {hidden ? (
          <p className="text-xs font-medium text-rose-700" data-testid="hidden-characters">
            {hidden === 1 ? "1 hidden character" : `${hidden} hidden characters`} in what the agent sent, shown as
            ⟨U+…⟩: approve only what you read here.
          </p>
        ) : null}
        {a.argumentsDigest ? (
          <p className="truncate font-mono text-xs text-slate-500" title={a.argumentsDigest}>
            arguments {a.argumentsDigest}
          </p>
        ) : (
          <p className="text-xs font-medium text-amber-800">
            No arguments digest: approving allows this call with any arguments.
          </p>
        )}
        {a.context ? (
          <details className="text-xs text-slate-600">
            <summary className="cursor-pointer select-none">
              Context the agent sent (its own words: the grant binds only the action, resource and arguments digest, not
              this)
            </summary>
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">
              {shownContext.text}
            </pre>
          </details>
        ) : null}
      </div>
      {decide ? (
        <RuntimeApprovalForm id={a.id} summary={summary} action={decideRuntimeApprovalAction.bind(null, a.id)} />
      ) : null}
    </li>
  );
}

const LABEL: Record<Request["change"], string> = {
  deployment: "deployment",
  environment_policy: "policy",
  agent_environment: "environment move",
  user_role: "admin role",
  canary: "canary",
  retention: "retention",
  audit_sink: "SIEM sink",
  token_policy: "token policy",
};

/** The eval gate failures a request overrides, in words (older requests kept only that it overrode some). */
function overrideText(r: Request): string {
  const overridden = overriddenGates(r);
  if (overridden === false) return "";
  if (overridden === true) return " (overriding failing eval gates)";
  return ` (overriding its eval gate: ${overridden.map(describeGateFailure).join("; ")})`;
}

type SinkStatus = { lag: number; removalUnreceived?: number; lastError: string | null };

/** What the request asks for, in a sentence an approver can judge. */
function describeRequest(r: Request, sinks?: Map<string, SinkStatus>): React.ReactNode {
  switch (r.change) {
    case "deployment":
      return (
        <>
          {r.kind === "rollback" ? "Roll back" : "Deploy"}{" "}
          <Link
            className="font-medium text-indigo-600 hover:underline"
            href={`/agents/${r.agentSlug}/versions/${r.versionNumber}`}
          >
            {r.agentSlug} v{r.versionNumber}
          </Link>
          {r.environment ? (
            <>
              {" "}
              in <b>{r.environment}</b>
            </>
          ) : null}
          {overrideText(r)}
        </>
      );
    case "environment_policy": {
      const p = r.payload as PolicyChange;
      if (p.requireApproval === false)
        return (
          <>
            Turn four-eyes approval off for <b>{r.environment}</b> deployments
          </>
        );
      const cost =
        p.fromMaxCostPerPassedCaseUsd === undefined || p.maxCostPerPassedCaseUsd === p.fromMaxCostPerPassedCaseUsd
          ? ""
          : p.maxCostPerPassedCaseUsd === null
            ? ` with no cost limit (was $${p.fromMaxCostPerPassedCaseUsd} per passed case)`
            : ` at up to $${p.maxCostPerPassedCaseUsd} per passed case (was $${p.fromMaxCostPerPassedCaseUsd ?? "no limit"})`;
      const scores =
        p.fromMinScores &&
        p.requiredSuites &&
        suitesText(p.requiredSuites, p.fromMinScores) !== suitesText(p.requiredSuites, p.minScores)
          ? ` (was ${suitesText(p.fromRequiredSuites ?? [], p.fromMinScores) || "none"})`
          : "";
      return (
        <>
          Require only {p.requiredSuites?.length ? suitesText(p.requiredSuites, p.minScores) : "no eval suites"}
          {scores}
          {cost} before <b>{r.environment}</b> deployments
        </>
      );
    }
    case "agent_environment": {
      const p = r.payload as AgentEnvironmentChange;
      return (
        <>
          Move{" "}
          <Link className="font-medium text-indigo-600 hover:underline" href={`/agents/${r.agentSlug}`}>
            {r.agentSlug}
          </Link>{" "}
          from {p.fromEnvironment} to <b>{p.environment}</b> with its live version
          {overrideText(r)}
        </>
      );
    }
    case "canary": {
      const p = r.payload as CanaryChange;
      return (
        <>
          Try{" "}
          <Link
            className="font-medium text-indigo-600 hover:underline"
            href={`/agents/${r.agentSlug}/versions/${r.versionNumber}`}
          >
            {r.agentSlug} v{r.versionNumber}
          </Link>{" "}
          on <b>{p.percent} %</b> of routing keys beside v{p.stableVersionNumber}, rolled back if its cost per call
          rises over {p.maxCostIncreasePct} % or its error rate over {p.maxErrorRateIncreasePts} points (after{" "}
          {p.minCalls} calls each)
          {p.outcomeType
            ? `, or its cost per successful ${p.outcomeType} over ${p.maxCostPerSuccessIncreasePct} % (after ${p.minOutcomes ?? 20} outcomes each)`
            : ""}
        </>
      );
    }
    case "retention": {
      const p = r.payload as RetentionChange;
      const cuts = [
        p.auditRetentionMonths === undefined
          ? null
          : `the audit trail ${p.auditRetentionMonths} months (${p.fromAuditRetentionMonths} when asked)`,
        p.usageRetentionMonths === undefined
          ? null
          : `raw usage and decisions ${p.usageRetentionMonths} months (${p.fromUsageRetentionMonths} when asked)`,
      ].filter(Boolean);
      return (
        <>
          Keep <b>{cuts.join(" and ")}</b>: older records are then pruned
        </>
      );
    }
    case "audit_sink": {
      const p = r.payload as SinkRemoval;
      const sink = sinks?.get(p.sinkId);
      return (
        <>
          Stop streaming the audit trail to the SIEM sink <b>{p.name}</b> ({p.kind}, {p.url}): it is deleted and forgets
          how far it got
          {sink ? (
            <span className="block text-slate-600">
              {sink.removalUnreceived
                ? `It has not received ${sink.removalUnreceived.toLocaleString("en-US")} audit events up to this request${sink.lastError ? ` (last error: ${sink.lastError})` : ""}: deleted now, they never reach it, so approving needs a note saying why.`
                : sink.lag === 0
                  ? "It has received everything so far."
                  : `It has received this request and what came before it; ${sink.lag.toLocaleString("en-US")} later audit events are on their way${sink.lastError ? ` (last error: ${sink.lastError})` : ""}.`}
            </span>
          ) : null}
        </>
      );
    }
    case "token_policy":
      return (
        <>
          Let personal access tokens <b>issue credentials</b> again: agent keys, people&apos;s passwords, SIEM sinks and
          webhook endpoints, which outlive the token that made them
        </>
      );
    case "user_role":
      return (
        <>
          Make{" "}
          <Link className="font-medium text-indigo-600 hover:underline" href={`/people/${r.userId}`}>
            {r.subject?.name ?? "a person"}
          </Link>{" "}
          ({r.subject?.email}) an admin
          <span className="block text-slate-600">
            Check with them another way (in person, a call) that they chose their own password: an admin who gave them a
            one-time password could have signed in as them and chosen it.
          </span>
        </>
      );
  }
}

export default async function ApprovalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  const admin = isAdmin(actor);
  const decider = canDecideApprovals(actor);
  if (!decider)
    return (
      <PageHeader
        title="Approvals"
        description="Approvals are decided by admins and, for their teams' agents, team leads."
      />
    );
  const sp = await searchParams;
  const now = new Date();
  const [{ page: runtimePage, cursor }, waitingCount, runtimeDecided, pending, decided, own] = await Promise.all([
    pageOrFirst((c) => listApprovals(actor, { status: "pending", cursor: c }), sp.cursor),
    pendingApprovalCount(actor, now),
    Promise.all(
      (["approved", "denied", "expired", "redeemed"] as const).map(
        async (status) => (await listApprovals(actor, { status, limit: 20 })).items,
      ),
    ),
    admin ? listChangeRequests(actor, "pending") : Promise.resolve([]),
    admin
      ? Promise.all([listChangeRequests(actor, "approved"), listChangeRequests(actor, "rejected")])
      : Promise.resolve([]),
    listOwnChangeRequests(actor),
  ]);
  const runtime = runtimePage.items;
  const waiting = pending.filter((r) => r.requestedBy.id !== actor.id);
  const [diffs, sinks] = admin
    ? await Promise.all([
        deploymentDiffs(
          actor,
          waiting.map((r) => r.id),
        ),
        waiting.some((r) => r.change === "audit_sink")
          ? listAuditSinks(actor).then((all) => new Map(all.map((s) => [s.id, s])))
          : undefined,
      ])
    : [new Map(), undefined];
  const recentRuntime = runtimeDecided
    .flat()
    .sort((a, b) => (b.decidedAt ?? b.expiresAt).getTime() - (a.decidedAt ?? a.expiresAt).getTime())
    .slice(0, 20);
  const recentChanges = decided
    .flat()
    .sort((a, b) => (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0))
    .slice(0, 20);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Approvals"
        description={
          admin
            ? "Everything waiting for you, oldest first: agent calls a rule allows only with a person's approval, and four-eyes changes (deployments to environments that require approval, and every change that would weaken that control) that another admin asked for."
            : "Agent calls of your teams that a rule allows only with a person's approval, oldest first."
        }
      />
      {sp.requested ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your change is waiting for another admin&apos;s approval.
        </p>
      ) : null}
      {sp.decided === "approved" || sp.decided === "rejected" ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Request {sp.decided}.
        </p>
      ) : null}
      <ActionError searchParams={sp} />
      <Card>
        <CardHeader title={`Agent calls waiting${waitingCount ? ` (${waitingCount})` : ""}`} />
        {runtime.length === 0 && cursor ? (
          <EmptyState title="No more agent calls waiting.">
            <Link className="font-medium text-indigo-600 hover:underline" href="/approvals">
              First page
            </Link>
          </EmptyState>
        ) : runtime.length === 0 ? (
          <EmptyState title="No agent is waiting for an approval.">
            Calls that a rule marks &ldquo;requires a person&apos;s approval&rdquo; wait here until someone approves or
            denies them, or they expire.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="runtime-approvals">
            {runtime.map((a) => (
              <RuntimeApprovalItem key={a.id} a={a} tz={tz} decide now={now} />
            ))}
          </ul>
        )}
        {runtime.length > 0 && (runtimePage.nextCursor || cursor) ? (
          <Pager path="/approvals" search={{ cursor }} shown={runtime.length} nextCursor={runtimePage.nextCursor} />
        ) : null}
      </Card>
      {admin ? (
        <Card>
          <CardHeader title={`Changes waiting for you${waiting.length ? ` (${waiting.length})` : ""}`} />
          {waiting.length === 0 ? (
            <EmptyState title="No change is waiting for your approval." />
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="change-requests">
              {waiting.map((r) => {
                const diff = diffs.get(r.id);
                return (
                  <li key={r.id} className="space-y-3 px-4 py-3">
                    <div className="flex flex-wrap items-center gap-3">
                      <Badge tone={r.change === "deployment" ? "blue" : "amber"}>{LABEL[r.change]}</Badge>
                      <span className="min-w-0 flex-1 basis-60">
                        {describeRequest(r, sinks)}{" "}
                        <span className="text-slate-600">
                          — requested by {r.requestedBy.name}, {dateTime(r.createdAt, tz)}
                        </span>
                        {r.reason ? <span className="block text-slate-600">{r.reason}</span> : null}
                      </span>
                      <div className={r.change === "audit_sink" ? "flex w-full gap-2 sm:w-auto" : "flex gap-2"}>
                        <form
                          action={decideChangeAction.bind(null, r.id, "approve")}
                          className={
                            r.change === "audit_sink" ? "flex min-w-0 flex-1 items-center gap-2 sm:flex-none" : "flex"
                          }
                        >
                          {r.change === "audit_sink" ? (
                            <Input
                              name="note"
                              aria-label="Note (why, if it has not received everything)"
                              placeholder="Note (why, if it is behind)"
                              maxLength={1000}
                              className="min-w-0 flex-1 sm:w-56 sm:flex-none"
                            />
                          ) : null}
                          <ConfirmSubmit variant="primary" message="Approve this change? It is applied at once.">
                            Approve
                          </ConfirmSubmit>
                        </form>
                        <form action={decideChangeAction.bind(null, r.id, "reject")}>
                          <ConfirmSubmit variant="secondary" message="Reject this request?">
                            Reject
                          </ConfirmSubmit>
                        </form>
                      </div>
                    </div>
                    {diff ? (
                      <details open={waiting.length <= 3}>
                        <summary className="cursor-pointer select-none text-slate-700">
                          Config change{" "}
                          {diff.liveNumber === null ? "(nothing is live yet)" : `from live v${diff.liveNumber}`} to v
                          {r.versionNumber}
                        </summary>
                        <div className="mt-2">
                          <VersionDiff
                            diff={diff.diff}
                            left={diff.liveNumber === null ? "nothing live" : `v${diff.liveNumber} (live)`}
                            right={`v${r.versionNumber}`}
                          />
                        </div>
                      </details>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      ) : null}
      {own.length ? (
        <Card>
          <CardHeader title="Your requests" />
          <ul className="divide-y divide-slate-100 text-sm" data-testid="own-requests">
            {own.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <Badge tone={STATUS_TONE[r.status]}>{r.status === "pending" ? "waiting" : r.status}</Badge>
                <span className="min-w-0 flex-1 basis-60">
                  {describeRequest(r)}
                  {r.decisionNote ? <span className="block text-slate-600">{r.decisionNote}</span> : null}
                </span>
                <span className="text-slate-600">{dateTime(r.decidedAt ?? r.createdAt, tz)}</span>
                {r.status === "pending" ? (
                  <form action={decideChangeAction.bind(null, r.id, "reject")}>
                    <ConfirmSubmit variant="secondary" message="Withdraw your request?">
                      Withdraw
                    </ConfirmSubmit>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {recentRuntime.length || recentChanges.length ? (
        <Card>
          <CardHeader title="Recently decided" />
          <ul className="divide-y divide-slate-100 text-sm" data-testid="recently-decided">
            {recentRuntime.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
                <span className="min-w-0 flex-1 basis-60">
                  <Link className="font-medium text-indigo-700 hover:underline" href={`/agents/${a.agent.slug}`}>
                    {a.agent.slug}
                  </Link>{" "}
                  {reveal(a.action)} on <span className="break-all">{reveal(a.resource)}</span>
                  <span className="text-slate-600">
                    {a.decidedBy ? ` — ${a.decidedBy.name}` : " — nobody decided in time"}
                    {a.decisionNote ? `: ${a.decisionNote}` : ""}
                  </span>
                </span>
                <span className="text-slate-600">{dateTime(a.decidedAt ?? a.expiresAt, tz)}</span>
              </li>
            ))}
            {recentChanges.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                <span className="min-w-0 flex-1 basis-60">{describeRequest(r)}</span>
                <span className="text-slate-600">{r.decidedAt ? dateTime(r.decidedAt, tz) : ""}</span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
