import Link from "next/link";
import { zonedDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Money } from "@/components/ui/money";
import { Table, Td, Th } from "@/components/ui/table";
import type { BudgetView } from "@/lib/domain/budgets/queries";
import { UsageBar } from "./usage-bar";

export const actionTone = { block: "red", degrade: "amber", notify: "gray" } as const;

export function BudgetTarget({ b }: { b: BudgetView }) {
  if (b.scope === "org") return <span>Organisation</span>;
  if (b.scope === "team") return <span>Team {b.team?.name}</span>;
  return (
    <Link href={`/agents/${b.agent?.slug}?tab=budget`} className="text-indigo-600 hover:underline">
      {b.agent?.name}
    </Link>
  );
}

/** One row per budget: this period's spend as a bar, reserved, remaining, reset time. */
export function BudgetTable({ budgets }: { budgets: BudgetView[] }) {
  return (
    <Table>
      <thead className="bg-slate-50">
        <tr>
          <Th>Budget</Th>
          <Th>Period</Th>
          <Th>Spent this period</Th>
          <Th className="text-right">Reserved</Th>
          <Th className="text-right">Remaining</Th>
          <Th>Alerts at</Th>
          <Th>When exhausted</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="budget-rows">
        {budgets.map((b) => (
          <tr key={b.id} data-budget-id={b.id}>
            <Td>
              <Link href={`/budgets/${b.id}`} className="font-medium text-slate-900 hover:text-indigo-600">
                {b.name}
              </Link>
              {b.archivedAt ? <Badge className="ml-2">archived</Badge> : null}
              <p className="text-xs text-slate-500">
                <BudgetTarget b={b} />
              </p>
            </Td>
            <Td>
              {b.period}
              <p className="text-xs text-slate-500">resets {zonedDateTime(b.resetsAt, b.timeZone)}</p>
            </Td>
            <Td>
              <UsageBar
                spent={b.spentMicros}
                reserved={b.reservedMicros}
                limit={b.limitMicros}
                thresholds={b.thresholds}
              />
            </Td>
            <Td className="text-right tabular-nums">
              <Money micros={b.reservedMicros} />
            </Td>
            <Td className="text-right tabular-nums">
              <Money micros={b.remainingMicros} />
            </Td>
            <Td className="text-xs">{b.thresholds.map((t) => `${t} %`).join(", ") || "—"}</Td>
            <Td>
              <Badge tone={actionTone[b.hardAction]}>{b.hardAction}</Badge>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
