import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { Money } from "@/components/ui/money";
import { Table, Td, Th } from "@/components/ui/table";

type Run = {
  id: string;
  runId: string;
  suite: string;
  ranAt: Date;
  score: number;
  threshold: number;
  passed: boolean;
  caseCount: number;
  passedCases: number;
  costMicros: bigint | null;
  logUrl: string | null;
};

export function EvalRunsTable({ runs, timeZone: tz }: { runs: Run[]; timeZone: string }) {
  if (runs.length === 0)
    return (
      <EmptyState title="No eval runs recorded for this version.">
        CI posts them to POST /api/v1/agents/&#123;id&#125;/versions/&#123;number&#125;/evals.
      </EmptyState>
    );
  return (
    <Table>
      <thead className="bg-slate-50">
        <tr>
          <Th>Suite</Th>
          <Th>Result</Th>
          <Th className="text-right">Score</Th>
          <Th className="text-right">Cases passed</Th>
          <Th className="text-right">Cost</Th>
          <Th>Ran</Th>
          <Th>Run</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="eval-runs">
        {runs.map((r) => (
          <tr key={r.id}>
            <Td className="font-medium">{r.suite}</Td>
            <Td>{r.passed ? <Badge tone="green">passed</Badge> : <Badge tone="red">failed</Badge>}</Td>
            <Td className="text-right tabular-nums">
              {r.score} <span className="text-slate-500">/ ≥ {r.threshold}</span>
            </Td>
            <Td className="text-right tabular-nums">
              {r.passedCases} / {r.caseCount}
            </Td>
            <Td className="text-right tabular-nums">
              <Money micros={r.costMicros} />
            </Td>
            <Td className="text-slate-500">{dateTime(r.ranAt, tz)}</Td>
            <Td className="font-mono text-xs">
              {r.logUrl ? (
                <a
                  href={r.logUrl}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="text-indigo-600 hover:underline"
                >
                  {r.runId}
                </a>
              ) : (
                r.runId
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
