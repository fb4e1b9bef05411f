import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { Money } from "@/components/ui/money";
import { Table, Td, Th } from "@/components/ui/table";
import type { Economics } from "@/lib/domain/outcomes/schemas";

type Type = Economics["types"][number];
const pct = (x: number | null | undefined) => (x == null ? "—" : `${(x * 100).toFixed(1)} %`);
const perSuccess = (t: Type | undefined) => <Money micros={t?.costPerSuccessMicros ?? null} />;

/** Two versions' outcomes side by side: how many, how often they succeed, and what a success costs on each. */
export function OutcomeComparison({ a, b, left, right }: { a: Economics; b: Economics; left: string; right: string }) {
  const names = [...new Set([...a.types, ...b.types].map((t) => t.type))].sort();
  const on = (e: Economics, name: string) => e.types.find((t) => t.type === name);
  return (
    <Card>
      <CardHeader
        title="Outcomes, last 30 days"
        description={`What each version's tasks achieved (outcomes reported with its version number) and what a success cost.`}
      />
      {names.length === 0 ? (
        <EmptyState title="Neither version reported outcomes in the last 30 days.">
          The runtime reports them with the version it ran (version in POST /api/v1/runtime/outcomes).
        </EmptyState>
      ) : (
        <Table>
          <thead className="bg-slate-50">
            <tr>
              <Th>Outcome</Th>
              <Th className="text-right">Outcomes {left}</Th>
              <Th className="text-right">{right}</Th>
              <Th className="text-right">Success {left}</Th>
              <Th className="text-right">{right}</Th>
              <Th className="text-right">Cost per success {left}</Th>
              <Th className="text-right">{right}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="outcome-comparison">
            {names.map((name) => {
              const [x, y] = [on(a, name), on(b, name)];
              return (
                <tr key={name}>
                  <Td>
                    <code className="text-[13px]">{name}</code>
                  </Td>
                  <Td className="text-right tabular-nums">{(x?.outcomes ?? 0).toLocaleString("en-US")}</Td>
                  <Td className="text-right tabular-nums">{(y?.outcomes ?? 0).toLocaleString("en-US")}</Td>
                  <Td className="text-right tabular-nums">{pct(x?.successRate)}</Td>
                  <Td className="text-right tabular-nums">{pct(y?.successRate)}</Td>
                  <Td className="text-right tabular-nums">{perSuccess(x)}</Td>
                  <Td className="text-right font-medium tabular-nums">{perSuccess(y)}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
