import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, canSeeTeam, isAdmin, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, forbidden, notFound } from "../errors";
import { usdToMicros } from "../money";
import { EvalRunInputSchema } from "./schemas";

/** Admins, and team leads for their own teams' agents (typically through a CI token scoped to evals:write). */
export function canWriteEvals(actor: Actor, agent: { teamId: string }): boolean {
  return (
    isAdmin(actor) || (actor.type === "user" && actor.role === "team_lead" && actor.teamIds.includes(agent.teamId))
  );
}

/** Suites one version has runs of: the version's pages compare each suite's latest run, case by case. */
export const MAX_SUITES_PER_VERSION = 20;

/**
 * Records an eval run against one version: idempotent on the client's run id (the same run posted again returns
 * the stored one; a different run under a used id is a 409). Stored with its cases and audited.
 */
export async function recordEvalRun(
  actor: Actor,
  meta: RequestMeta,
  agentId: string,
  versionNumber: number,
  raw: unknown,
) {
  const agent = await db().agent.findUnique({ where: { id: agentId }, select: { teamId: true } });
  if (!agent || !canSeeTeam(actor, agent.teamId)) throw notFound("Agent"); // another team's agent: as if absent
  if (!canWriteEvals(actor, agent)) throw forbidden("Only admins and the agent's team leads record eval results");
  const input = EvalRunInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    const version = await tx.agentVersion.findUnique({
      where: { agentId_number: { agentId, number: versionNumber } },
      select: { id: true, number: true },
    });
    if (!version) throw notFound(`Version ${versionNumber}`);
    const existing = await tx.evalRun.findUnique({ where: { agentId_runId: { agentId, runId: input.runId } } });
    if (existing) {
      const same =
        existing.versionId === version.id &&
        existing.suite === input.suite &&
        existing.score === input.score &&
        existing.threshold === input.threshold;
      if (!same) throw conflict("run_id_reused", `Run id "${input.runId}" was already recorded with different results`);
      return { run: existing, created: false };
    }
    // The version's row is taken in turn, so racing runs of new suites cannot pass the cap together.
    await tx.$executeRaw`SELECT 1 FROM agent_versions WHERE id = ${version.id} FOR UPDATE`;
    const suites = await tx.$queryRaw<{ suite: string }[]>`
      SELECT DISTINCT suite FROM eval_runs WHERE "versionId" = ${version.id}`;
    if (!suites.some((s) => s.suite === input.suite) && suites.length >= MAX_SUITES_PER_VERSION)
      throw conflict("limit_reached", `A version has runs of at most ${MAX_SUITES_PER_VERSION} suites`);
    const costs = input.cases.map((c) => (c.costUsd == null ? null : usdToMicros(c.costUsd)));
    const run = await tx.evalRun.create({
      data: {
        agentId,
        versionId: version.id,
        runId: input.runId,
        suite: input.suite,
        ranAt: input.ranAt,
        score: input.score,
        threshold: input.threshold,
        passed: input.score >= input.threshold,
        logUrl: input.logUrl ?? null,
        caseCount: input.cases.length,
        passedCases: input.cases.filter((c) => c.passed).length,
        costMicros: costs.some((c) => c !== null) ? costs.reduce<bigint>((s, c) => s + (c ?? 0n), 0n) : null,
        createdById: actor.type === "user" ? actor.id : null,
        cases: {
          createMany: {
            data: input.cases.map((c, i) => ({
              caseId: c.caseId,
              passed: c.passed,
              score: c.score ?? null,
              costMicros: costs[i],
              latencyMs: c.latencyMs ?? null,
            })),
          },
        },
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "eval.recorded",
      targetType: "agent_version",
      targetId: version.id,
      agentId,
      teamId: agent.teamId,
      after: {
        runId: run.runId,
        suite: run.suite,
        version: version.number,
        score: run.score,
        threshold: run.threshold,
        passed: run.passed,
        cases: run.caseCount,
        passedCases: run.passedCases,
      },
    });
    return { run, created: true };
  });
}
