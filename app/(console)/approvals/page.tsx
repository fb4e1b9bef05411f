import type { Metadata } from "next";
import Link from "next/link";
import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import type { AgentEnvironmentChange, PolicyChange } from "@/lib/domain/changes/open-change-request";
import { listChangeRequests } from "@/lib/domain/changes/queries";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { decideChangeAction } from "./actions";

export const metadata: Metadata = { title: "Approvals" };

type Request = Awaited<ReturnType<typeof listChangeRequests>>[number];

const LABEL: Record<Request["change"], string> = {
  deployment: "deployment",
  environment_policy: "policy",
  agent_environment: "environment move",
  user_role: "admin role",
};

/** What the request asks for, in a sentence an approver can judge. */
function describeRequest(r: Request): React.ReactNode {
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
          {r.gateOverride ? " (overriding failing eval gates)" : ""}
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
      return (
        <>
          Require only {p.requiredSuites?.length ? p.requiredSuites.join(", ") : "no eval suites"} before{" "}
          <b>{r.environment}</b> deployments
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
        </>
      );
    }
    case "user_role":
      return (
        <>
          Make{" "}
          <Link className="font-medium text-indigo-600 hover:underline" href={`/people/${r.userId}`}>
            {r.subject?.name ?? "a person"}
          </Link>{" "}
          ({r.subject?.email}) an admin
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
  if (!isAdmin(actor)) return <PageHeader title="Approvals" description="Change requests are decided by admins." />;
  const sp = await searchParams;
  const [pending, decided] = await Promise.all([
    listChangeRequests(actor, "pending"),
    Promise.all([listChangeRequests(actor, "approved"), listChangeRequests(actor, "rejected")]),
  ]);
  const recent = decided
    .flat()
    .sort((a, b) => (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0))
    .slice(0, 20);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Approvals"
        description="Four-eyes: deployments to environments that require approval, and every change that would weaken that control (turning it off, dropping required eval suites, moving an agent with a live version into such an environment, making someone an admin), wait here for another admin than the requester."
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
      {sp.decided === "error" ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {sp.message}
        </p>
      ) : null}
      <Card>
        <CardHeader title="Waiting for approval" />
        {pending.length === 0 ? (
          <EmptyState title="Nothing is waiting for approval." />
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="change-requests">
            {pending.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                <Badge tone={r.change === "deployment" ? "blue" : "amber"}>{LABEL[r.change]}</Badge>
                <span className="min-w-0 flex-1">
                  {describeRequest(r)}{" "}
                  <span className="text-slate-500">
                    — requested by {r.requestedBy.name}, {dateTime(r.createdAt, tz)}
                  </span>
                  {r.reason ? <span className="block text-slate-500">{r.reason}</span> : null}
                </span>
                <div className="flex gap-2">
                  {r.requestedBy.id === actor.id ? (
                    <span className="self-center text-xs text-slate-500">Another admin must approve your request.</span>
                  ) : (
                    <form action={decideChangeAction.bind(null, r.id, "approve")}>
                      <ConfirmSubmit variant="primary" message="Approve this change? It is applied at once.">
                        Approve
                      </ConfirmSubmit>
                    </form>
                  )}
                  <form action={decideChangeAction.bind(null, r.id, "reject")}>
                    <ConfirmSubmit variant="secondary" message="Reject this request?">
                      {r.requestedBy.id === actor.id ? "Withdraw" : "Reject"}
                    </ConfirmSubmit>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {recent.length ? (
        <Card>
          <CardHeader title="Recently decided" />
          <ul className="divide-y divide-slate-100 text-sm">
            {recent.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <Badge tone={r.status === "approved" ? "green" : "gray"}>{r.status}</Badge>
                <span className="min-w-0 flex-1">{describeRequest(r)}</span>
                <span className="text-slate-500">{r.decidedAt ? dateTime(r.decidedAt, tz) : ""}</span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
