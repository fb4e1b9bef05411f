import "server-only";
import { db } from "@/lib/db/client";
import type { Environment } from "@/lib/db/generated/enums";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { ENVIRONMENTS } from "../agents/schemas";
import { writeAuditEvent } from "../audit/write-audit-event";
import { abortCanariesIn } from "../canaries/end-canary";
import { isPerson, openChangeRequest, type PendingChange, type PolicyChange } from "../changes/open-change-request";
import { conflict, invalid, notFound } from "../errors";
import { gatePolicy } from "../evals/gates";
import { EnvironmentPolicyInputSchema, minScoreOf, RequiredSuitesSchema } from "../evals/schemas";
import { lockEnvironmentPolicy } from "../locks";
import { microsToUsdOrNull, usdToMicros } from "../money";
import { sameJson } from "../text";

const DEFAULTS: Record<Environment, boolean> = { dev: false, staging: false, prod: true };

export async function requiresApproval(tx: Pick<Tx, "environmentPolicy">, environment: Environment): Promise<boolean> {
  const row = await tx.environmentPolicy.findUnique({ where: { environment } });
  return row?.requireApproval ?? DEFAULTS[environment];
}

export function environmentRequiresApproval(environment: Environment): Promise<boolean> {
  return requiresApproval(db(), environment);
}

export async function listEnvironmentPolicies(): Promise<Record<Environment, boolean>> {
  const rows = await db().environmentPolicy.findMany();
  const out = { ...DEFAULTS };
  for (const r of rows) out[r.environment] = r.requireApproval;
  return out;
}

/**
 * Turns four-eyes approval on or off for an environment's deployments and rollbacks. Turning it off weakens
 * the control, so a person's request to do so waits for a second admin (a change request); turning it on is
 * immediate.
 */
export async function setEnvironmentPolicy(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const { environment, requireApproval, reason } = EnvironmentPolicyInputSchema.parse(raw);
  return inTransaction(async (tx): Promise<{ environment: Environment; requireApproval: boolean } | PendingChange> => {
    await lockEnvironmentPolicy(tx, environment);
    const before = await requiresApproval(tx, environment);
    if (before && !requireApproval && isPerson(actor)) {
      return openChangeRequest(tx, actor, meta, {
        change: "environment_policy",
        environment,
        payload: { requireApproval },
        before: { requireApproval: before },
        reason,
      });
    }
    await applyEnvironmentPolicy(tx, actor, meta, environment, { requireApproval });
    return { environment, requireApproval };
  });
}

/**
 * Writes an environment's policy and its audit event (directly, or when a second admin approves the change). A change
 * that names the gate it replaces (`from…`, as a change request does) is refused as stale when the gate moved since:
 * the approver judged "this gate instead of that one", and suites added or a limit tightened since would be undone unseen.
 */
export async function applyEnvironmentPolicy(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  environment: Environment,
  change: PolicyChange,
  approval?: { requestId: string },
) {
  await lockEnvironmentPolicy(tx, environment);
  const gate = await gatePolicy(tx, environment);
  const before = {
    requireApproval: await requiresApproval(tx, environment),
    requiredSuites: gate.requiredSuites,
    maxCostPerPassedCaseUsd: microsToUsdOrNull(gate.maxCostPerPassedCaseMicros),
    minScores: gate.minScores,
  };
  if (
    (change.fromRequiredSuites && before.requiredSuites.join() !== change.fromRequiredSuites.join()) ||
    (change.fromMaxCostPerPassedCaseUsd !== undefined &&
      before.maxCostPerPassedCaseUsd !== change.fromMaxCostPerPassedCaseUsd) ||
    (change.fromMinScores && !sameJson(before.minScores, change.fromMinScores))
  ) {
    throw conflict(
      "request_stale",
      "The environment's deployment gate changed since this was requested: reject it and request again",
    );
  }
  const requiredSuites = change.requiredSuites ?? before.requiredSuites;
  const after = {
    requireApproval: change.requireApproval ?? before.requireApproval,
    requiredSuites,
    maxCostPerPassedCaseUsd:
      change.maxCostPerPassedCaseUsd === undefined ? before.maxCostPerPassedCaseUsd : change.maxCostPerPassedCaseUsd,
    // Only required suites keep a minimum.
    minScores: scoresFor(change.minScores ?? before.minScores, requiredSuites),
  };
  const row = {
    requireApproval: after.requireApproval,
    requiredSuites: after.requiredSuites,
    maxCostPerPassedCaseMicros:
      after.maxCostPerPassedCaseUsd === null ? null : usdToMicros(after.maxCostPerPassedCaseUsd),
    minScores: after.minScores,
  };
  await tx.environmentPolicy.upsert({ where: { environment }, create: { environment, ...row }, update: row });
  const stricter =
    (after.requireApproval && !before.requireApproval) ||
    after.requiredSuites.some((suite) => !before.requiredSuites.includes(suite)) ||
    tighter(gate.maxCostPerPassedCaseMicros, row.maxCostPerPassedCaseMicros) ||
    // A minimum added or raised: going back would lower it.
    lowered(after.minScores, before.minScores, Object.keys(after.minScores));
  if (stricter)
    await abortCanariesIn(tx, actor, meta, environment, `${environment}'s deployment policy became stricter`);
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => !sameJson(before[k], after[k]));
  if (changed.length) {
    await writeAuditEvent(tx, actor, meta, {
      action: "policy.updated",
      targetType: "environment",
      targetId: environment,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: {
        ...Object.fromEntries(changed.map((k) => [k, after[k]])),
        ...(approval ? { requestId: approval.requestId } : {}),
      },
    });
  }
}

/** The minimum scores of these suites only, in suite order (as stored and compared). */
function scoresFor(scores: Record<string, number>, suites: string[]): Record<string, number> {
  return Object.fromEntries(
    [...suites].sort().flatMap((s) => {
      const min = minScoreOf(scores, s);
      return min === undefined ? [] : [[s, min] as const];
    }),
  );
}

/** Whether some suite still required lost its minimum score, or has a lower one (the gate weakens). */
function lowered(from: Record<string, number>, to: Record<string, number>, suites: string[]): boolean {
  return suites.some((s) => {
    const was = minScoreOf(from, s);
    const now = minScoreOf(to, s);
    return was !== undefined && !(now !== undefined && now >= was);
  });
}

/**
 * Whether moving an agent from one environment to another leaves a control behind: four-eyes, a required suite, a
 * cost limit or a minimum score the target does not have. Agent keys are not tied to an environment, so the same
 * runtime would take what one admin deploys next under the weaker rules.
 */
export async function weakerControls(tx: Tx, from: Environment, to: Environment): Promise<boolean> {
  if ((await requiresApproval(tx, from)) && !(await requiresApproval(tx, to))) return true;
  const [a, b] = [await gatePolicy(tx, from), await gatePolicy(tx, to)];
  return (
    a.requiredSuites.some((s) => !b.requiredSuites.includes(s)) ||
    // A cost limit gates nothing where no suite is required.
    (a.requiredSuites.length > 0 && tighter(b.maxCostPerPassedCaseMicros, a.maxCostPerPassedCaseMicros)) ||
    lowered(a.minScores, b.minScores, a.requiredSuites)
  );
}

/** Whether a cost limit moved from `from` to `to` is stricter (a limit where there was none, or a lower one). */
function tighter(from: bigint | null, to: bigint | null): boolean {
  return to !== null && (from === null || to < from);
}

/** Deployment gates: per environment, the eval suites a version must have passed. */
export async function listDeploymentGates(): Promise<Record<Environment, string[]>> {
  const rows = await db().environmentPolicy.findMany({ select: { environment: true, requiredSuites: true } });
  const out: Record<Environment, string[]> = { dev: [], staging: [], prod: [] };
  for (const r of rows) out[r.environment] = r.requiredSuites;
  return out;
}

/** One environment's deployment gate: its required suites and the cost per passed case their runs may have. */
export async function getDeploymentGate(name: string) {
  const environment = ENVIRONMENTS.find((e) => e === name);
  if (!environment) throw notFound("Environment");
  const gate = await gatePolicy(db(), environment);
  return {
    environment,
    requiredSuites: gate.requiredSuites,
    maxCostPerPassedCaseUsd: microsToUsdOrNull(gate.maxCostPerPassedCaseMicros),
    minScores: gate.minScores,
  };
}

/**
 * Sets the eval suites an environment requires before a version may be deployed there, and optionally the most their
 * runs may cost per passed case. Dropping a suite, or raising or removing the cost limit, weakens the gate, so such a
 * change by a person waits for a second admin; adding suites or tightening the limit is immediate.
 */
export async function setRequiredSuites(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = RequiredSuitesSchema.parse(raw);
  const environment = input.environment;
  const suites = [...new Set(input.suites)].sort();
  const stray = Object.keys(input.minScores ?? {}).filter((s) => !suites.includes(s));
  if (stray.length)
    throw invalid("A minimum score is for a required suite", {
      minScores: [`not among the required suites: ${stray.join(", ")}`],
    });
  return inTransaction(
    async (
      tx,
    ): Promise<
      | {
          environment: Environment;
          requiredSuites: string[];
          maxCostPerPassedCaseUsd: number | null;
          minScores: Record<string, number>;
        }
      | PendingChange
    > => {
      await lockEnvironmentPolicy(tx, environment);
      const before = await gatePolicy(tx, environment);
      const beforeMax = microsToUsdOrNull(before.maxCostPerPassedCaseMicros);
      const maxMicros =
        input.maxCostPerPassedCaseUsd === undefined
          ? before.maxCostPerPassedCaseMicros
          : input.maxCostPerPassedCaseUsd === null
            ? null
            : usdToMicros(input.maxCostPerPassedCaseUsd);
      const max = microsToUsdOrNull(maxMicros);
      const minScores = scoresFor(input.minScores ?? before.minScores, suites);
      const looser =
        before.requiredSuites.some((s) => !suites.includes(s)) ||
        tighter(maxMicros, before.maxCostPerPassedCaseMicros) ||
        lowered(before.minScores, minScores, suites);
      if (looser && isPerson(actor)) {
        return openChangeRequest(tx, actor, meta, {
          change: "environment_policy",
          environment,
          payload: {
            requiredSuites: suites,
            fromRequiredSuites: before.requiredSuites,
            maxCostPerPassedCaseUsd: max,
            fromMaxCostPerPassedCaseUsd: beforeMax,
            minScores,
            fromMinScores: before.minScores,
          },
          before: {
            requiredSuites: before.requiredSuites,
            maxCostPerPassedCaseUsd: beforeMax,
            minScores: before.minScores,
          },
          reason: input.reason ?? "",
        });
      }
      await applyEnvironmentPolicy(tx, actor, meta, environment, {
        requiredSuites: suites,
        maxCostPerPassedCaseUsd: max,
        minScores,
      });
      return { environment, requiredSuites: suites, maxCostPerPassedCaseUsd: max, minScores };
    },
  );
}
