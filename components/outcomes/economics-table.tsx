import { countOf } from "@/components/format";
import { Money } from "@/components/ui/money";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import type { Economics } from "@/lib/domain/outcomes/schemas";

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)} %`);
const count = (t: Economics["types"][number]) => countOf(t.outcomes, t.unit);

/** Outcomes by type: how many, how often they succeed, what a success costs, and what it is worth per dollar. */
export function EconomicsTable({ economics }: { economics: Economics }) {
  return (
    <Table>
      <thead className="bg-slate-50">
        <tr>
          <Th>Outcome</Th>
          <Th className={`${WIDE} text-right`}>Outcomes</Th>
          <Th className={`${WIDE} text-right`}>Success rate</Th>
          <Th className={`${WIDE} text-right`}>Cost of their tasks</Th>
          <Th className="text-right">Cost per success</Th>
          <Th className={`${WIDE} text-right`}>Value per $</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="economics">
        {economics.types.map((t) => (
          <tr key={t.type}>
            <Td className="whitespace-normal sm:whitespace-nowrap">
              <code className="break-all text-[13px]">{t.type}</code>
              {/* On a phone how many and how often they succeed ride under the type. */}
              <p className="text-xs text-slate-500 sm:hidden">
                {count(t)}
                {t.successRate === null ? null : ` · ${pct(t.successRate)} succeed`}
              </p>
            </Td>
            <Td className={`${WIDE} text-right tabular-nums`}>{count(t)}</Td>
            <Td className={`${WIDE} text-right tabular-nums`}>{pct(t.successRate)}</Td>
            <Td className={`${WIDE} text-right tabular-nums`}>
              <Money micros={t.costMicros} />
            </Td>
            <Td className="text-right font-medium tabular-nums">
              <Money micros={t.costPerSuccessMicros === null ? null : Math.round(t.costPerSuccessMicros)} />
            </Td>
            <Td className={`${WIDE} text-right tabular-nums`}>
              {t.valuePerDollar === null ? "—" : `$${t.valuePerDollar.toFixed(2)}`}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
