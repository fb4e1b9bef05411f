import type { Metadata } from "next";
import Link from "next/link";
import { ClassificationBadge } from "@/components/resources/classification-badge";
import { ResourceForm } from "@/components/resources/resource-form";
import { ActionError } from "@/components/ui/action-error";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listTeams } from "@/lib/domain/agents/queries";
import { listResources } from "@/lib/domain/resources/catalogue";
import { PersonSearch } from "../lineage/person-search";
import { createResourceAction } from "./actions";

export const metadata: Metadata = { title: "Resources" };

const KIND = { dataset: "Data set", system: "System", tool: "Tool" } as const;

/** The catalogue of governed resources: who owns each, how sensitive it is, and (on each one's page) who touched it. */
export default async function ResourcesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const admin = isAdmin(actor);
  const [resources, teams, sp] = await Promise.all([listResources(actor), listTeams(actor), searchParams]);
  const team = new Map(teams.map((t) => [t.id, t.name]));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Resources"
        description="The data sets, systems and tools agents act on, each with an owner and a classification rules can match on. Open one to see who touched it, for whom, under which rule."
      />
      <ActionError searchParams={sp} />
      {sp.archived ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Resource archived: it no longer classifies calls; its lineage stays readable.
        </p>
      ) : null}
      <Card>
        <CardHeader
          title="Catalogue"
          description="Calls whose resource string matches an entry's pattern fall under it."
        />
        {resources.length === 0 ? (
          <EmptyState title="No resource is catalogued yet.">
            {admin ? "Catalogue the first one below, e.g. the CRM's customers table." : "An admin catalogues them."}
          </EmptyState>
        ) : (
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th>Name</Th>
                <Th>Pattern</Th>
                <Th>Kind</Th>
                <Th>Classification</Th>
                <Th>Owner</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="resources">
              {resources.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <Link href={`/resources/${r.id}`} className="font-medium text-indigo-600 hover:underline">
                      {r.name}
                    </Link>
                    {r.description ? <p className="mt-0.5 text-xs text-slate-500">{r.description}</p> : null}
                  </Td>
                  <Td>
                    <code className="break-all text-[13px]">{r.pattern}</code>
                  </Td>
                  <Td>{KIND[r.kind]}</Td>
                  <Td>
                    <ClassificationBadge classification={r.classification} />
                  </Td>
                  <Td>{r.ownerTeamId ? (team.get(r.ownerTeamId) ?? "another team") : "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      {actor.role === "viewer" ? null : (
        <Card>
          <CardHeader
            title="On whose behalf"
            description="What agents did for one person or end user, as the runtime named them in onBehalfOf (a data-subject request)."
          />
          <PersonSearch />
        </Card>
      )}
      {admin ? (
        <Card>
          <CardHeader title="Catalogue a resource" />
          <ResourceForm action={createResourceAction} teams={teams.map((t) => ({ id: t.id, label: t.name }))} />
        </Card>
      ) : null}
    </div>
  );
}
