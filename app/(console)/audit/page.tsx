import type { Metadata } from "next";
import Link from "next/link";
import { ZodError } from "zod";
import { BeforeAfter } from "@/components/audit/before-after";
import { SignInToggle } from "@/components/audit/sign-in-toggle";
import { VerifyBadge } from "@/components/audit/verify-badge";
import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ChoiceSelect, Input, Select } from "@/components/ui/field";
import { FilterActions } from "@/components/ui/filter-actions";
import { PhoneFold } from "@/components/ui/phone-fold";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { listAgentOptions, listTeams } from "@/lib/domain/agents/queries";
import { auditActionGroups, SIGN_IN_ACTIONS } from "@/lib/domain/audit/actions";
import { auditEventLabels, canReadAudit, getAuditEvent, listAuditEvents } from "@/lib/domain/audit/queries";
import type { AuditEventLabels } from "@/lib/domain/audit/schemas";
import { filterInput } from "@/lib/domain/audit/schemas";
import { DomainError } from "@/lib/domain/errors";
import { consoleTimeZone } from "@/lib/domain/settings/queries";

export const metadata: Metadata = { title: "Audit" };

const FILTER_KEYS = [
  "from",
  "to",
  "actor",
  "action",
  "targetType",
  "targetId",
  "teamId",
  "agentId",
  "outcome",
  "q",
  "excludeSignIns",
] as const;

/** "requested by X · approved by Y" for a change that went through four-eyes. */
function FourEyes({ labels }: { labels: AuditEventLabels | undefined }) {
  if (!labels?.requestedBy && !labels?.approvedBy) return null;
  const parts = [
    labels.requestedBy ? `requested by ${labels.requestedBy.label}` : null,
    labels.approvedBy ? `approved by ${labels.approvedBy.label}` : null,
  ].filter(Boolean);
  return (
    <span className="block text-xs text-slate-500" data-testid="four-eyes">
      {parts.join(" · ")}
    </span>
  );
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  if (!canReadAudit(actor)) {
    return <PageHeader title="Audit trail" description="The audit trail is open to admins and auditors." />;
  }
  const sp = await searchParams;
  const filters = Object.fromEntries(FILTER_KEYS.filter((k) => sp[k]).map((k) => [k, sp[k]!]));
  // Sign-ins are hidden unless the URL says otherwise, or the action filter asks for them by name.
  const hideSignIns =
    sp.excludeSignIns !== "false" && !(SIGN_IN_ACTIONS as readonly (string | undefined)[]).includes(sp.action);
  const query = { ...filterInput(filters), excludeSignIns: hideSignIns ? "true" : "false" };
  let result: Awaited<ReturnType<typeof listAuditEvents>> = { items: [], labels: {}, nextCursor: null };
  let filterError: string | null = null;
  try {
    result = await listAuditEvents(actor, { ...query, cursor: sp.cursor, limit: 50 });
  } catch (err) {
    if (!(err instanceof ZodError || err instanceof DomainError)) throw err;
    const fields = err instanceof ZodError ? [...new Set(err.issues.map((i) => i.path.join(".")))] : [];
    filterError = `Some filters are invalid${fields.length ? ` (${fields.join(", ")})` : ""}.`;
  }
  const selected = sp.event ? await getAuditEvent(actor, sp.event).catch(() => null) : null;
  const [agents, teams, selectedLabels] = await Promise.all([
    listAgentOptions(actor),
    listTeams(actor),
    selected ? auditEventLabels(actor, selected) : null,
  ]);
  const qs = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams(filters);
    for (const [k, v] of Object.entries(extra)) v ? p.set(k, v) : p.delete(k);
    return p.toString();
  };
  const exportQs = new URLSearchParams(query).toString();
  // The evidence pack covers the filter's dates, else the last 30 days up to the end of today (UTC).
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const packQs = new URLSearchParams({
    from: sp.from || day(Date.now() - 30 * 86_400_000),
    to: sp.to || day(Date.now() + 86_400_000),
  }).toString();
  const activeFilters = FILTER_KEYS.filter((k) => k !== "excludeSignIns" && filters[k]).length;
  const filtered = activeFilters > 0;
  // Toggling starts again from the newest event: the cursor and the open event belong to the other list.
  const hideHref = `/audit?${qs({ excludeSignIns: undefined, cursor: undefined, event: undefined })}`;
  const showHref = `/audit?${qs({ excludeSignIns: "false", cursor: undefined, event: undefined })}`;

  // Positions are consecutive in the chain: a gap between two rows shown is events the filters left out.
  const skipped = result.items
    .slice(1)
    .reduce((n, e, i) => n + Number(BigInt(result.items[i].position) - BigInt(e.position) - 1n), 0);
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change and every denied or degraded decision, hash-chained. Newest first."
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <VerifyBadge />
            <a
              className="whitespace-nowrap rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
              href={`/api/v1/audit/export?format=csv&${exportQs}`}
              download
              data-testid="export-csv"
            >
              Export CSV
            </a>
            <a
              className="whitespace-nowrap rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
              href={`/api/v1/audit/export?format=ndjson&${exportQs}`}
              download
            >
              Export NDJSON
            </a>
            <a
              className="whitespace-nowrap rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
              href={`/api/v1/audit/evidence-pack?${packQs}`}
              title="One zip for an auditor: the verified trail with its signed checkpoints and keys, deployments and approvals, permission, budget, people and key changes, mapped to EU AI Act Art. 12 and SOC 2 (the dates filter sets the period; else the last 30 days)"
              download
              data-testid="evidence-pack"
            >
              Evidence pack
            </a>
          </div>
        }
      />
      <Card className="mb-4">
        <PhoneFold label="Filters" active={activeFilters} open={!!filterError}>
          <form className="grid grid-cols-2 gap-3 p-3 sm:grid-cols-5" role="search" aria-label="Filter audit events">
            <label className="text-xs font-medium text-slate-600">
              From
              <Input type="date" name="from" defaultValue={sp.from} className="mt-1" />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Until (not including)
              <Input type="date" name="to" defaultValue={sp.to} className="mt-1" />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Agent
              <ChoiceSelect
                name="agentId"
                value={sp.agentId}
                any="Any agent"
                choices={agents.map((a) => ({ value: a.id, label: a.slug }))}
                className="mt-1"
              />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Team
              <ChoiceSelect
                name="teamId"
                value={sp.teamId}
                any="Any team"
                choices={teams.map((t) => ({ value: t.id, label: t.name }))}
                className="mt-1"
              />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Outcome
              <ChoiceSelect
                name="outcome"
                value={sp.outcome}
                any="Any outcome"
                choices={["success", "denied", "degraded", "failure"]}
                className="mt-1"
              />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Actor
              <Input name="actor" placeholder="e-mail, slug or id" defaultValue={sp.actor} className="mt-1" />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Action
              {/* aria-label: the options' text would otherwise count as the label's ("Agent registered" → "Agent") */}
              <Select name="action" aria-label="Action" defaultValue={sp.action ?? ""} className="mt-1">
                <option value="">Any action</option>
                {auditActionGroups().map((group) => (
                  <optgroup key={group.area} label={group.heading}>
                    <option value={group.filter}>{group.heading}: all</option>
                    {group.actions.map((a) => (
                      <option key={a.action} value={a.action}>
                        {a.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </Select>
            </label>
            <label className="text-xs font-medium text-slate-600">
              Target type
              <Input name="targetType" placeholder="e.g. agent_key" defaultValue={sp.targetType} className="mt-1" />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Reason contains
              <Input name="q" defaultValue={sp.q} className="mt-1" />
            </label>
            {hideSignIns ? null : <input type="hidden" name="excludeSignIns" value="false" />}
            <div className="flex items-end gap-2">
              <FilterActions clearHref="/audit" filtered={filtered} />
            </div>
          </form>
        </PhoneFold>
        {filterError ? <p className="px-4 pb-3 text-sm text-rose-600">{filterError}</p> : null}
        <div className="border-t border-slate-100 px-3 py-2">
          <SignInToggle hidden={hideSignIns} hideHref={hideHref} showHref={showHref} />
        </div>
      </Card>

      {selected ? (
        <Card className="mb-4">
          <CardHeader
            title={`Event #${selected.position} · ${selected.action}`}
            description={dateTime(selected.occurredAt, tz)}
            actions={
              <Link href={`/audit?${qs({ event: undefined })}`} className="text-sm text-slate-500 hover:text-slate-900">
                Close
              </Link>
            }
          />
          <div className="grid gap-4 p-4 lg:grid-cols-2" data-testid="audit-detail">
            <dl className="grid min-w-0 grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Actor</dt>
              <dd className="wrap-anywhere">
                {selectedLabels?.actor ?? selected.actorLabel}{" "}
                <span className="text-xs text-slate-500">
                  ({selected.actorType}
                  {selected.actorId ? ` ${selected.actorId}` : ""}; recorded as {selected.actorLabel})
                </span>
                <FourEyes labels={selectedLabels ?? undefined} />
              </dd>
              <dt className="text-slate-500">Target</dt>
              <dd className="wrap-anywhere">
                {selectedLabels?.target ? `${selectedLabels.target} ` : null}
                <span className="text-xs text-slate-500">
                  {selected.targetType} <span className="font-mono">{selected.targetId ?? ""}</span>
                </span>
              </dd>
              <dt className="text-slate-500">Outcome</dt>
              <dd>{selected.outcome}</dd>
              <dt className="text-slate-500">Reason</dt>
              <dd className="wrap-anywhere whitespace-pre-line">{selected.reason ?? "—"}</dd>
              <dt className="text-slate-500">Request id</dt>
              <dd className="wrap-anywhere font-mono text-xs">{selected.requestId ?? "—"}</dd>
              <dt className="text-slate-500">IP</dt>
              <dd className="font-mono text-xs">{selected.ip ?? "—"}</dd>
              <dt className="text-slate-500">Hash</dt>
              <dd className="break-all font-mono text-xs">{selected.hash}</dd>
              <dt className="text-slate-500">Previous hash</dt>
              <dd className="break-all font-mono text-xs">{selected.prevHash}</dd>
            </dl>
            <div className="min-w-0">
              <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Before → after</p>
              <BeforeAfter before={selected.before} after={selected.after} />
            </div>
          </div>
        </Card>
      ) : null}

      <Card>
        {skipped > 0 ? (
          <p className="border-b border-slate-100 px-4 py-2 text-xs text-slate-500" data-testid="audit-skipped">
            The numbers skip where the filters leave events out: {skipped.toLocaleString("en-US")} between the first and
            the last shown here{hideSignIns ? " (sign-ins are hidden)" : ""}. Verification reads the whole chain.
          </p>
        ) : null}
        {result.items.length === 0 ? (
          <EmptyState title={filtered ? "No events match these filters." : "No audit events yet."}>
            {hideSignIns ? "Sign-ins are hidden." : null}
          </EmptyState>
        ) : (
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th>#</Th>
                <Th>When</Th>
                <Th className={WIDE}>Actor</Th>
                <Th className={WIDE}>Action</Th>
                <Th className={WIDE}>Target</Th>
                <Th className={WIDE}>Outcome</Th>
                <Th className={WIDE}>Reason</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="audit-rows">
              {result.items.map((e) => {
                const actor = result.labels[e.position]?.actor ?? e.actorLabel;
                const target = e.targetId ? (result.labels[e.position]?.target ?? `…${e.targetId.slice(-8)}`) : null;
                return (
                  <tr
                    key={String(e.position)}
                    className={sp.event === String(e.position) ? "bg-indigo-50" : "hover:bg-slate-50"}
                  >
                    <Td className="tabular-nums">
                      <Link
                        href={`/audit?${qs({ event: String(e.position), cursor: sp.cursor })}`}
                        className="text-indigo-600 hover:underline"
                        aria-label={`Open event ${e.position}`}
                      >
                        {String(e.position)}
                      </Link>
                    </Td>
                    <Td className="text-slate-500">
                      {dateTime(e.occurredAt, tz)}
                      {/* On a phone the other columns are folded in here: the action, who, on what, how it ended. */}
                      <div className="mt-1 min-w-56 space-y-0.5 whitespace-normal wrap-anywhere text-xs sm:hidden">
                        <p className="font-mono text-slate-800">{e.action}</p>
                        <p className="text-slate-700">
                          {actor}
                          {target ? ` · ${e.targetType} ${target}` : ""}
                        </p>
                        <OutcomeBadge outcome={e.outcome} />
                        {e.reason ? <p>{e.reason}</p> : null}
                      </div>
                    </Td>
                    <Td className={cn(WIDE, "min-w-48 max-w-72 whitespace-normal wrap-anywhere")}>
                      <span className="text-xs text-slate-500">{e.actorType}</span> {actor}
                      <FourEyes labels={result.labels[e.position]} />
                    </Td>
                    <Td className={cn(WIDE, "font-mono text-xs")}>{e.action}</Td>
                    <Td className={cn(WIDE, "min-w-40 max-w-72 whitespace-normal wrap-anywhere text-xs")}>
                      <span className="text-slate-500">{e.targetType}</span>{" "}
                      {target ? (
                        <span title={e.targetId ?? undefined} data-testid="audit-target">
                          {target}
                        </span>
                      ) : null}
                    </Td>
                    <Td className={WIDE}>
                      <OutcomeBadge outcome={e.outcome} />
                    </Td>
                    <Td className={cn(WIDE, "min-w-56 max-w-md whitespace-normal wrap-anywhere text-slate-500")}>
                      {e.reason ?? ""}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
        <div className="flex justify-end gap-3 border-t border-slate-100 px-4 py-2 text-sm">
          {sp.cursor ? (
            <Link href={`/audit?${qs({ cursor: undefined })}`} className="text-slate-500 hover:text-slate-900">
              Newest
            </Link>
          ) : null}
          {result.nextCursor ? (
            <Link
              href={`/audit?${qs({ cursor: result.nextCursor })}`}
              className="font-medium text-indigo-600 hover:underline"
            >
              Older →
            </Link>
          ) : null}
        </div>
      </Card>
    </>
  );
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge tone={outcome === "success" ? "green" : outcome === "failure" || outcome === "denied" ? "red" : "amber"}>
      {outcome}
    </Badge>
  );
}
