import "server-only";
import type { Db } from "@/lib/db/client";
import type { Environment } from "@/lib/db/generated/enums";
import type { Tx } from "@/lib/db/tx";
import { conflict, invalid } from "../errors";
import { microsToUsd } from "../money";
import { minScoreOf } from "./schemas";

export type GateFailure = {
  suite: string;
  /** missing: no run; failing: score under threshold; over_cost: cost per passed case over the limit; no_cost: a limit is set and the run reported no cost. */
  status: "missing" | "failing" | "over_cost" | "no_cost";
  score?: number;
  threshold?: number;
  runId?: string;
  costPerPassedCaseUsd?: number | null;
  maxCostPerPassedCaseUsd?: number;
};

export type GatePolicy = {
  requiredSuites: string[];
  maxCostPerPassedCaseMicros: bigint | null;
  /** Suite → the score its run must reach here, whatever threshold the run itself sent (admins set it). */
  minScores: Record<string, number>;
};

/** What an environment requires of a version before it may be deployed there: suites passed, within a cost per passed case. */
export async function gatePolicy(client: Tx | Db, environment: Environment): Promise<GatePolicy> {
  const row = await client.environmentPolicy.findUnique({
    where: { environment },
    select: { requiredSuites: true, maxCostPerPassedCaseMicros: true, minScores: true },
  });
  return {
    requiredSuites: row?.requiredSuites ?? [],
    maxCostPerPassedCaseMicros: row?.maxCostPerPassedCaseMicros ?? null,
    minScores: (row?.minScores as Record<string, number> | undefined) ?? {},
  };
}

type Run = {
  suite: string;
  score: number;
  threshold: number;
  runId: string;
  costMicros: bigint | null;
  passedCases: number;
  _count: { cases: number };
};

/** Why a run does not meet the environment's cost per passed case, or null when it does (or no limit is set). */
function costFailure(run: Run, max: bigint | null): Pick<GateFailure, "status" | "costPerPassedCaseUsd"> | null {
  if (max === null) return null;
  // The limit is on cost the run declared for every case: a run with a case of unknown cost cannot show it is within it
  // (else one case reporting $0 beside a thousand unreported ones would pass any limit).
  if (run.costMicros === null || run._count.cases > 0) return { status: "no_cost", costPerPassedCaseUsd: null };
  // Compared exactly (cost ≤ max × passed cases); a run that passed no case has no cost per passed case to meet it.
  if (run.passedCases > 0 && run.costMicros <= max * BigInt(run.passedCases)) return null;
  const passed = BigInt(run.passedCases);
  return {
    status: "over_cost",
    // Rounded up, so a cost just over the limit never reads as equal to it.
    costPerPassedCaseUsd: passed ? microsToUsd((run.costMicros + passed - 1n) / passed) : null,
  };
}

/**
 * Which required suites a version does not satisfy: each suite's latest run on the version must have passed (and,
 * when the environment limits it, have cost at most that per passed case). A rollback is judged the same way: an
 * older passing run does not wave through a version found failing since, or never live; an admin overrides with a
 * reason (in the audit trail, and on the approver's card in a four-eyes environment).
 */
export async function gateFailures(
  client: Tx | Db,
  environment: Environment,
  versionId: string,
): Promise<GateFailure[]> {
  return policyFailures(client, await gatePolicy(client, environment), versionId);
}

/** gateFailures against a policy already read. */
export async function policyFailures(client: Tx | Db, policy: GatePolicy, versionId: string): Promise<GateFailure[]> {
  const { requiredSuites: suites, maxCostPerPassedCaseMicros: max, minScores } = policy;
  if (suites.length === 0) return [];
  const runs: Run[] = await client.evalRun.findMany({
    where: { versionId, suite: { in: suites } },
    orderBy: [{ ranAt: "desc" }, { createdAt: "desc" }],
    select: {
      suite: true,
      score: true,
      threshold: true,
      runId: true,
      costMicros: true,
      passedCases: true,
      // Cases that reported no cost (see costFailure).
      _count: { select: { cases: { where: { costMicros: null } } } },
    },
  });
  const failures: GateFailure[] = [];
  for (const suite of suites) {
    const mine = runs.filter((r) => r.suite === suite);
    if (mine.length === 0) {
      failures.push({ suite, status: "missing" });
      continue;
    }
    // The run's own threshold (its poster chose it) and, above it, the environment's minimum for the suite.
    const threshold = (r: Run) => Math.max(r.threshold, minScoreOf(minScores, suite) ?? Number.NEGATIVE_INFINITY);
    const passed = (r: Run) => r.score >= threshold(r);
    const good = (r: Run) => passed(r) && !costFailure(r, max);
    if (good(mine[0])) continue;
    const run = mine[0];
    const base = { suite, score: run.score, threshold: threshold(run), runId: run.runId };
    const cost = passed(run) ? costFailure(run, max) : null;
    failures.push(
      cost ? { ...base, ...cost, maxCostPerPassedCaseUsd: microsToUsd(max) } : { ...base, status: "failing" },
    );
  }
  return failures;
}

/** One failure in words, e.g. `"safety" failed (score 0.7 < 0.9)`. */
export function describeGateFailure(f: GateFailure): string {
  switch (f.status) {
    case "missing":
      return `"${f.suite}" has no run`;
    case "failing":
      return `"${f.suite}" failed (score ${f.score} < ${f.threshold})`;
    case "no_cost":
      return `"${f.suite}" did not report the cost of every case (the limit is $${f.maxCostPerPassedCaseUsd} per passed case)`;
    case "over_cost":
      return `"${f.suite}" cost ${f.costPerPassedCaseUsd === null ? "something with no case passed" : `$${f.costPerPassedCaseUsd} per passed case`} (limit $${f.maxCostPerPassedCaseUsd})`;
  }
}

export function describeGateFailures(versionNumber: number, environment: string, failures: GateFailure[]): string {
  return `Version ${versionNumber} cannot go to ${environment}: required eval suite ${failures.map(describeGateFailure).join(", ")}`;
}

/**
 * 409 eval_gate_failed when a version does not satisfy the environment's gates and no admin overrode them:
 * `overridden` is an override made now (true, which needs a `reason`), or the failures a request's override was for
 * (an approval excuses those, not a failure that appeared since).
 */
export function requireGatesPassed(
  versionNumber: number,
  environment: Environment,
  failures: GateFailure[],
  overridden: boolean | GateFailure[] = false,
  reason = "",
) {
  const excused = (f: GateFailure) =>
    overridden === true ||
    (Array.isArray(overridden) && overridden.some((o) => o.suite === f.suite && o.status === f.status));
  const unexcused = failures.filter((f) => !excused(f));
  if (unexcused.length)
    throw conflict(
      "eval_gate_failed",
      describeGateFailures(versionNumber, environment, unexcused) +
        (Array.isArray(overridden) && overridden.length
          ? " (not what the request overrode: reject it and ask again)"
          : ""),
      { environment, suites: unexcused },
    );
  if (overridden === true && failures.length && !reason)
    throw invalid("Overriding the eval gates needs a reason", { reason: ["required to override the eval gates"] });
}
