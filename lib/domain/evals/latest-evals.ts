import "server-only";
import { db } from "@/lib/db/client";

// Kept apart from queries.ts, which scopes through agents/queries.ts: the agent page reads this, so it must not
// import the agents area back (a cycle).

/** For every version of an agent, the latest run of each suite (what the Versions tab shows). */
export async function latestEvalsByVersion(agentId: string) {
  const runs = await db().evalRun.findMany({
    where: { agentId },
    orderBy: [{ versionId: "asc" }, { suite: "asc" }, { ranAt: "desc" }, { createdAt: "desc" }],
    distinct: ["versionId", "suite"],
    select: {
      id: true,
      versionId: true,
      suite: true,
      score: true,
      threshold: true,
      passed: true,
      ranAt: true,
      costMicros: true,
    },
  });
  const byVersion = new Map<string, typeof runs>();
  for (const r of runs) byVersion.set(r.versionId, [...(byVersion.get(r.versionId) ?? []), r]);
  return byVersion;
}
