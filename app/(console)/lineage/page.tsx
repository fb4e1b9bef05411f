import type { Metadata } from "next";
import { ZodError } from "zod";
import { LineagePanel, lineageDays } from "@/components/resources/lineage-panel";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { subjectLineage } from "@/lib/domain/resources/lineage";
import { PersonSearch } from "./person-search";

export const metadata: Metadata = { title: "On whose behalf" };

/** What agents did on one person's behalf (a data-subject request): every decision naming them in onBehalfOf. */
export default async function OnBehalfPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const sp = await searchParams;
  const who = sp.onBehalfOf?.trim() ?? "";
  const days = lineageDays(sp.days);
  const to = new Date();
  const range = { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
  const found = who
    ? await subjectLineage(actor, { onBehalfOf: who, ...range }).catch((err: unknown) => {
        if (err instanceof ZodError) return null;
        throw err;
      })
    : null;
  const query = (extra: Record<string, string>) => new URLSearchParams({ onBehalfOf: who, ...extra }).toString();
  return (
    <div className="space-y-6">
      <PageHeader
        title="On whose behalf"
        description="What agents did for one person or end user: every call the runtime made naming them in onBehalfOf, with the resource, rule and version, exportable for a data-subject request."
      />
      <Card>
        <CardHeader title="Person or end user" />
        <PersonSearch value={who} />
        {who && !found ? (
          <p role="alert" className="px-4 pb-4 text-sm text-rose-700">
            Give at most 256 characters, as agents send them.
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
