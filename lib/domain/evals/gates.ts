import "server-only";
import type { Db } from "@/lib/db/client";
import type { Environment } from "@/lib/db/generated/enums";
import type { Tx } from "@/lib/db/tx";

export type GateFailure = {
  suite: string;
  status: "missing" | "failing";
  score?: number;
  threshold?: number;
  runId?: string;
};

/** The suites an environment requires to have passed on a version before it may be deployed there. */
export async function requiredSuites(client: Tx | Db, environment: Environment): Promise<string[]> {
  const row = await client.environmentPolicy.findUnique({ where: { environment }, select: { requiredSuites: true } });
  return row?.requiredSuites ?? [];
}

/**
 * Which required suites a version does not satisfy. A deployment needs each suite's latest run on the version
 * to have passed; a rollback needs the version to have passed each suite at least once (it was good before).
 */
export async function gateFailures(
  client: Tx | Db,
  environment: Environment,
  versionId: string,
  kind: "deploy" | "rollback",
): Promise<GateFailure[]> {
  const suites = await requiredSuites(client, environment);
  if (suites.length === 0) return [];
  const runs = await client.evalRun.findMany({
    where: { versionId, suite: { in: suites } },
    orderBy: [{ ranAt: "desc" }, { createdAt: "desc" }],
    select: { suite: true, passed: true, score: true, threshold: true, runId: true },
  });
  const failures: GateFailure[] = [];
  for (const suite of suites) {
    const mine = runs.filter((r) => r.suite === suite);
    if (mine.length === 0) failures.push({ suite, status: "missing" });
    else if (kind === "rollback" ? !mine.some((r) => r.passed) : !mine[0].passed)
      failures.push({
        suite,
        status: "failing",
        score: mine[0].score,
        threshold: mine[0].threshold,
        runId: mine[0].runId,
      });
  }
  return failures;
}

export function describeGateFailures(versionNumber: number, environment: string, failures: GateFailure[]): string {
  const parts = failures.map((f) =>
    f.status === "missing" ? `"${f.suite}" has no run` : `"${f.suite}" failed (score ${f.score} < ${f.threshold})`,
  );
  return `Version ${versionNumber} cannot go to ${environment}: required eval suite ${parts.join(", ")}`;
}
