import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { Environment } from "@/lib/db/generated/enums";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { PageQuerySchema, timeIdPage } from "../cursor";
import { notFound } from "../errors";
import { gatePolicy, policyFailures } from "./gates";

/** The runs recorded on one version, newest first (by when they ran), a page at a time (`cursor`, `limit`). */
export async function listEvalRuns(actor: Actor, agentIdOrSlug: string, versionNumber: number, rawQuery: unknown = {}) {
  const keyset = timeIdPage("ranAt", "desc", PageQuerySchema.parse(rawQuery ?? {}));
  const agent = await getAgent(actor, agentIdOrSlug);
  const version = await db().agentVersion.findUnique({
    where: { agentId_number: { agentId: agent.id, number: versionNumber } },
    select: { id: true },
  });
  if (!version) throw notFound(`Version ${versionNumber}`);
  const rows = await db().evalRun.findMany({
    where: { AND: [{ versionId: version.id }, keyset.where as Prisma.EvalRunWhereInput] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  const page = keyset.page(rows);
  return { items: page.rows, nextCursor: page.nextCursor };
}

export type CaseComparison = {
  caseId: string;
  a: boolean | null;
  b: boolean | null;
  scoreA: number | null;
  scoreB: number | null;
  change: "regressed" | "fixed" | "same" | "added" | "removed";
};

/** The latest run of each suite on two versions, case by case: which cases regressed from A to B. */
export async function compareEvalResults(agentId: string, versionIdA: string, versionIdB: string) {
  // Each suite's latest run on each side, chosen in the database (a version may have many runs), then their cases.
  const latest = await db().$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON ("versionId", suite) id FROM eval_runs
    WHERE "agentId" = ${agentId} AND "versionId" IN (${versionIdA}, ${versionIdB})
    ORDER BY "versionId", suite, "ranAt" DESC, "createdAt" DESC`;
  const runs = await db().evalRun.findMany({
    where: { id: { in: latest.map((r) => r.id) } },
    include: { cases: true },
  });
  const suites = [...new Set(runs.map((r) => r.suite))].sort();
  return suites.map((suite) => {
    const a = runs.find((r) => r.suite === suite && r.versionId === versionIdA) ?? null;
    const b = runs.find((r) => r.suite === suite && r.versionId === versionIdB) ?? null;
    const casesA = new Map(a?.cases.map((c) => [c.caseId, c]));
    const casesB = new Map(b?.cases.map((c) => [c.caseId, c]));
    const ids = [...new Set([...casesA.keys(), ...casesB.keys()])].sort();
    const cases: CaseComparison[] = ids.map((caseId) => {
      const ca = casesA.get(caseId);
      const cb = casesB.get(caseId);
      const change = !ca
        ? "added"
        : !cb
          ? "removed"
          : ca.passed && !cb.passed
            ? "regressed"
            : !ca.passed && cb.passed
              ? "fixed"
              : "same";
      return {
        caseId,
        a: ca?.passed ?? null,
        b: cb?.passed ?? null,
        scoreA: ca?.score ?? null,
        scoreB: cb?.score ?? null,
        change,
      };
    });
    const strip = (r: typeof a) =>
      r
        ? {
            id: r.id,
            runId: r.runId,
            score: r.score,
            threshold: r.threshold,
            passed: r.passed,
            ranAt: r.ranAt,
            costMicros: r.costMicros,
            caseCount: r.caseCount,
            passedCases: r.passedCases,
          }
        : null;
    return { suite, a: strip(a), b: strip(b), cases, regressed: cases.filter((c) => c.change === "regressed").length };
  });
}

/** For the deploy form: the environment's required suites and which of them the version does not satisfy. */
export async function versionGateStatus(environment: Environment, versionId: string) {
  const policy = await gatePolicy(db(), environment);
  const failures = await policyFailures(db(), policy, versionId);
  return { required: policy.requiredSuites, maxCostPerPassedCaseMicros: policy.maxCostPerPassedCaseMicros, failures };
}
