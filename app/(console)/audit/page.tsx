import type { Metadata } from "next";
import Link from "next/link";
import { VerifyBadge } from "@/components/audit/verify-badge";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { dateTime } from "@/components/format";
import { requireSessionActor } from "@/lib/auth/session";
import { canReadAudit, listAuditEvents } from "@/lib/domain/audit/queries";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const actor = await requireSessionActor();
  if (!canReadAudit(actor)) {
    return <PageHeader title="Audit trail" description="The audit trail is open to admins and auditors." />;
  }
  const { cursor } = await searchParams;
  const { items, nextCursor } = await listAuditEvents(actor, { cursor, limit: 50 });
  return (
    <>
      <PageHeader title="Audit trail" description="Every change and every denied decision, hash-chained. Newest first." actions={<VerifyBadge />} />
      <Card>
        {items.length === 0 ? (
          <EmptyState title="No audit events yet." />
        ) : (
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th>#</Th>
                <Th>When</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Outcome</Th>
                <Th>Reason</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="audit-rows">
              {items.map((e) => (
                <tr key={String(e.position)}>
                  <Td className="tabular-nums text-slate-400">{String(e.position)}</Td>
                  <Td className="text-slate-500">{dateTime(e.occurredAt)}</Td>
                  <Td>
                    <span className="text-xs text-slate-400">{e.actorType}</span> {e.actorLabel}
                  </Td>
                  <Td className="font-mono text-xs">{e.action}</Td>
                  <Td className="text-xs">
                    {e.targetType}
                    {e.targetId ? <span className="font-mono text-slate-400" title={e.targetId}> …{e.targetId.slice(-8)}</span> : null}
                  </Td>
                  <Td>
                    <Badge tone={e.outcome === "success" ? "green" : e.outcome === "failure" || e.outcome === "denied" ? "red" : "amber"}>{e.outcome}</Badge>
                  </Td>
                  <Td className="max-w-xs truncate text-slate-500">{e.reason ?? ""}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <div className="flex justify-end gap-3 border-t border-slate-100 px-4 py-2 text-sm">
          {cursor ? (
            <Link href="/audit" className="text-slate-500 hover:text-slate-900">
              Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={`/audit?cursor=${nextCursor}`} className="font-medium text-indigo-600 hover:underline">
              Older →
            </Link>
          ) : null}
        </div>
      </Card>
    </>
  );
}
