import type { Metadata } from "next";
import Link from "next/link";
import { OutcomeTypeForm } from "@/components/outcomes/outcome-type-form";
import { ActionError } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Table, Td, Th } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listAgentOptions, listTeams } from "@/lib/domain/agents/queries";
import { listOutcomeCostAlerts } from "@/lib/domain/outcomes/cost-alerts";
import { listOutcomeTypes } from "@/lib/domain/outcomes/outcome-types";
import { archiveOutcomeTypeAction, createOutcomeTypeAction } from "./actions";

export const metadata: Metadata = { title: "Outcomes" };

/** The organisation's outcome types: what agents report achieving, and (for admins) defining and archiving them. */
export default async function OutcomesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const admin = isAdmin(actor);
  const [types, agents, teams, sp, alerts] = await Promise.all([
    listOutcomeTypes(actor),
    listAgentOptions(actor),
    listTeams(actor),
    searchParams,
    listOutcomeCostAlerts(actor),
  ]);
  const slug = new Map(agents.map((a) => [a.id, a.slug]));
  const team = new Map(teams.map((t) => [t.id, t.name]));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Outcomes"
        description="What agents achieve, defined once for the organisation. The runtime names each call's task and reports what the task achieved; each agent's overview shows its success rate and cost per successful outcome."
      />
      <ActionError searchParams={sp} />
      {sp.archived ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Outcome type archived: agents can no longer report it; what was reported stays.
        </p>
      ) : null}
      <Card>
        <CardHeader title="Outcome types" description="Agents report only these, and only those listed for each." />
        {types.length === 0 ? (
          <EmptyState title="No outcome type is defined yet.">
            {admin ? "Define the first one below, e.g. ticket.resolved." : "An admin defines them."}
          </EmptyState>
        ) : (
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th>Name</Th>
                <Th>Unit</Th>
                <Th>Owner</Th>
                <Th>Reported by</Th>
                <Th>Budget per outcome</Th>
                {admin ? <Th className="sr-only">Actions</Th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="outcome-types">
              {types.map((t) => (
                <tr key={t.id}>
                  <Td>
                    <code className="text-[13px] text-slate-900">{t.name}</code>
                    {t.hasValue ? (
                      <Badge tone="green" className="ml-2">
                        value in $
                      </Badge>
                    ) : null}
                    {t.description ? <p className="mt-0.5 text-xs text-slate-500">{t.description}</p> : null}
                  </Td>
                  <Td>{t.unit}</Td>
                  <Td>{t.ownerTeamId ? (team.get(t.ownerTeamId) ?? "another team") : "—"}</Td>
                  <Td>
                    {t.agentIds.length ? (
                      <span className="flex flex-wrap gap-x-2 gap-y-1">
                        {t.agentIds.map((id) =>
                          slug.get(id) ? (
                            <Link key={id} href={`/agents/${slug.get(id)}`} className="text-indigo-600 hover:underline">
                              {slug.get(id)}
                            </Link>
                          ) : null,
                        )}
                      </span>
                    ) : (
                      <span className="text-slate-500">no agent yet</span>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap tabular-nums">
                    {t.maxCostPerSuccessUsd === null ? (
                      <span className="text-slate-500">none</span>
                    ) : (
                      `≤ $${t.maxCostPerSuccessUsd} per ${t.unit} / ${t.costPeriod}`
                    )}
                  </Td>
                  {admin ? (
                    <Td className="text-right">
                      <form action={archiveOutcomeTypeAction.bind(null, t.id)}>
                        <ConfirmSubmit
                          message={[
                            `Archive ${t.name}?`,
                            "Agents can no longer report it; the outcomes reported stay in the figures.",
                          ]}
                        >
                          Archive
                        </ConfirmSubmit>
                      </form>
                    </Td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader
          title="Budget per outcome: alerts"
          description="An agent whose cost per success of a type went over the type's maximum in a period (once per agent and period)."
        />
        {alerts.length === 0 ? (
          <EmptyState title="No outcome went over its budget." />
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="outcome-cost-alerts">
            {alerts.map((a) => (
              <li key={a.id} className="px-4 py-3 text-sm">
                <p className="text-slate-900">{a.message}</p>
                <p className="mt-0.5 text-xs text-slate-500">
                  <Link href={`/agents/${a.agentSlug}`} className="text-indigo-600 hover:underline">
                    {a.agentSlug}
                  </Link>{" "}
                  · {a.createdAt.slice(0, 16).replace("T", " ")} UTC
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {admin ? (
        <Card>
          <CardHeader title="Define an outcome type" />
          <OutcomeTypeForm
            action={createOutcomeTypeAction}
            teams={teams.map((t) => ({ id: t.id, label: t.name }))}
            agents={agents.map((a) => ({ id: a.id, label: a.slug }))}
          />
        </Card>
      ) : null}
    </div>
  );
}
