import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { Lineage } from "@/lib/domain/resources/schemas";

const TONE = { allow: "green", degrade: "amber", deny: "red", pending: "blue" } as const;
const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

/**
 * Lineage by combination: which agent, on which version, under which rule, touched which resource for whom, and
 * what was decided, how often and when. `hide` leaves out the column the page is about.
 */
export function LineageTable({ lineage, hide }: { lineage: Lineage; hide?: "onBehalfOf" | "resource" }) {
  return (
    <Table>
      <thead className="bg-slate-50">
        <tr>
          <Th>Agent</Th>
          {hide === "resource" ? null : <Th>Resource</Th>}
          {hide === "onBehalfOf" ? null : <Th>On behalf of</Th>}
          <Th>Rule</Th>
          <Th>Decision</Th>
          <Th className="text-right">Calls</Th>
          <Th>Last</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="lineage">
        {lineage.groups.map((g) => (
          <tr key={`${g.agentId}|${g.versionNumber}|${g.ruleId}|${g.resource}|${g.onBehalfOf}|${g.decision}`}>
            <Td>
              <Link href={`/agents/${g.agentSlug}`} className="text-indigo-600 hover:underline">
                {g.agentSlug}
              </Link>
              {g.versionNumber ? <span className="ml-1 text-xs text-slate-500">v{g.versionNumber}</span> : null}
            </Td>
            {hide === "resource" ? null : (
              <Td>
                <code className="break-all text-[13px]">{g.resource}</code>
              </Td>
            )}
            {hide === "onBehalfOf" ? null : (
              <Td>
                {g.onBehalfOf ? (
                  <Link
                    href={`/lineage?onBehalfOf=${encodeURIComponent(g.onBehalfOf)}`}
                    className="break-all text-indigo-600 hover:underline"
                  >
                    {g.onBehalfOf}
                  </Link>
                ) : (
                  <span className="text-slate-500">not stated</span>
                )}
              </Td>
            )}
            <Td className="text-xs">
              {g.ruleId ? (
                (g.rule ?? <span className="text-slate-500">a deleted rule</span>)
              ) : (
                <span className="text-slate-500">none</span>
              )}
            </Td>
            <Td>
              <Badge tone={TONE[g.decision]}>{g.decision}</Badge>
            </Td>
            <Td className="text-right tabular-nums">{g.calls.toLocaleString("en-US")}</Td>
            <Td className="whitespace-nowrap text-xs text-slate-600">{when(g.lastAt)} UTC</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
