import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClassificationBadge } from "@/components/resources/classification-badge";
import { LineagePanel, lineageDays } from "@/components/resources/lineage-panel";
import { ResourceForm } from "@/components/resources/resource-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { listTeams } from "@/lib/domain/agents/queries";
import { DomainError } from "@/lib/domain/errors";
import { getResource } from "@/lib/domain/resources/catalogue";
import { resourceLineage } from "@/lib/domain/resources/lineage";
import { archiveResourceAction, updateResourceAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const actor = await requireSessionActor();
  const r = await getResource(actor, (await params).id).catch(() => null);
  return { title: r ? `${r.name} · Resources` : "Not found" };
}

/** One resource: what it is, and who touched it, for whom, under which rule and version, over a period. */
export default async function ResourcePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const days = lineageDays(sp.days);
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const range = { from: from.toISOString(), to: to.toISOString() };
  const { resource: r, lineage } = await resourceLineage(actor, id, range).catch((err: unknown) => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  });
  const teams = await listTeams(actor);
  const owner = r.ownerTeamId ? (teams.find((t) => t.id === r.ownerTeamId)?.name ?? "another team") : null;
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumbs trail={[{ href: "/resources", label: "Resources" }]} current={r.name} />
        <PageHeader
          title={r.name}
          description={
            <>
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <ClassificationBadge classification={r.classification} />
                {[
                  <code key="pattern" className="break-all text-[13px]">
                    {r.pattern}
                  </code>,
                  r.kind === "dataset" ? "Data set" : r.kind === "system" ? "System" : "Tool",
                  owner ? `owned by ${owner}` : null,
                  r.archivedAt ? "archived" : null,
                ]
                  .filter(Boolean)
                  .map((part, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of parts
                    <span key={i} className="flex items-center gap-x-2">
                      {i > 0 ? <span aria-hidden>·</span> : null}
                      {part}
                    </span>
                  ))}
              </span>
              {r.description ? <span className="mt-2 block text-slate-700">{r.description}</span> : null}
            </>
          }
        />
      </div>
      <LineagePanel
        title="Who touched it"
        lineage={lineage}
        days={days}
        href={(d) => `/resources/${r.id}?days=${d}`}
        exportHref={`/api/v1/resources/${r.id}/lineage/export?${new URLSearchParams(range)}`}
        empty="No agent authorized a call on a resource matching this pattern in this period."
        hide={actor.role === "viewer" ? "onBehalfOf" : undefined}
      />
      {isAdmin(actor) ? (
        <Card>
          <CardHeader title="Edit" description="A new classification applies to the next call." />
          <ResourceForm
            action={updateResourceAction.bind(null, r.id)}
            teams={teams.map((t) => ({ id: t.id, label: t.name }))}
            resource={r}
          />
          {r.archivedAt ? null : (
            <form action={archiveResourceAction.bind(null, r.id)} className="border-t border-slate-100 p-4">
              <ConfirmSubmit
                message={[
                  `Archive ${r.name}?`,
                  "It no longer classifies calls, so rules matching its classification stop applying to them; its lineage stays.",
                ]}
              >
                Archive resource
              </ConfirmSubmit>
            </form>
          )}
        </Card>
      ) : null}
    </div>
  );
}
