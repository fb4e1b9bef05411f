import type { Metadata } from "next";
import { ZodError } from "zod";
import { LineagePanel, lineageDays } from "@/components/resources/lineage-panel";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { DomainError } from "@/lib/domain/errors";
import { subjectLineage } from "@/lib/domain/resources/lineage";
import { PersonSearch } from "./person-search";

export const metadata: Metadata = { title: "On whose behalf" };

/** What agents did on one person's behalf (a data-subject request): every decision naming them in onBehalfOf. */
export default async function OnBehalfPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const sp = await searchParams;
  // A repeated parameter arrives as a list: the first one counts.
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const who = first(sp.onBehalfOf)?.trim() ?? "";
  const days = lineageDays(first(sp.days));
  const to = new Date();
  const range = { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
  const mayRead = actor.role !== "viewer";
  // A link from another site does not run the lookup (it is audited in the reader's name): searching here does.
  let fromElsewhere = false;
  const found =
    who && mayRead
      ? await subjectLineage(actor, await requestMeta(), { onBehalfOf: who, ...range }).catch((err: unknown) => {
          if (err instanceof ZodError) return null;
          if (err instanceof DomainError && err.code === "cross_origin") {
            fromElsewhere = true;
            return null;
          }
          throw err;
        })
      : null;
  const query = (extra: Record<string, string>) => new URLSearchParams({ onBehalfOf: who, ...extra }).toString();
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumbs trail={[{ href: "/resources", label: "Resources" }]} current="On whose behalf" />
        <PageHeader
          title="On whose behalf"
          description="What agents did for one person or end user: every call the runtime made naming them in onBehalfOf (exactly as sent), with the resource, rule and version, exportable for a data-subject request. Each lookup is audited."
        />
      </div>
      <Card>
        <CardHeader title="Look up a person" />
        <PersonSearch value={who} />
        {!mayRead ? (
          <p role="status" className="px-4 pb-4 text-sm text-slate-600">
            What agents did for a person is personal data: admins, auditors and team leads read it, and each lookup is
            audited.
          </p>
        ) : fromElsewhere ? (
          <p role="status" className="px-4 pb-4 text-sm text-slate-600">
            This link came from another site, so the lookup did not run. Press "Show what agents did for them" to run
            it: each lookup is audited in your name.
          </p>
        ) : who && !found ? (
          <p role="alert" className="px-4 pb-4 text-sm text-rose-700">
            Give the name as agents send it: at most 256 characters, no control characters.
          </p>
        ) : null}
      </Card>
      {found ? (
        <LineagePanel
          title={`On behalf of ${found.onBehalfOf}`}
          lineage={found.lineage}
          days={days}
          href={(d) => `/lineage?${query({ days: String(d) })}`}
          exportHref={`/api/v1/lineage/export?${query(range)}`}
          hide="onBehalfOf"
          empty="No agent said it acted for them in this period. Runtimes name the person in authorize's onBehalfOf."
        />
      ) : null}
    </div>
  );
}
