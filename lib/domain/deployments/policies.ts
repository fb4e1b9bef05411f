import { db } from "@/lib/db/client";
import type { Environment } from "@/lib/db/generated/enums";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { requiredSuites } from "../evals/gates";
import { RequiredSuitesSchema, type RequiredSuitesInput } from "../evals/schemas";

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

/** Turns four-eyes approval on or off for an environment's deployments and rollbacks. */
export async function setEnvironmentPolicy(actor: Actor, meta: RequestMeta, environment: Environment, requireApproval: boolean) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const before = await requiresApproval(tx, environment);
    await tx.environmentPolicy.upsert({ where: { environment }, create: { environment, requireApproval }, update: { requireApproval } });
    if (before !== requireApproval) {
      await writeAuditEvent(tx, actor, meta, { action: "policy.updated", targetType: "environment", targetId: environment, before: { requireApproval: before }, after: { requireApproval } });
    }
    return { environment, requireApproval };
  });
}

/** Deployment gates: per environment, the eval suites a version must have passed. */
export async function listDeploymentGates(): Promise<Record<Environment, string[]>> {
  const rows = await db().environmentPolicy.findMany({ select: { environment: true, requiredSuites: true } });
  const out: Record<Environment, string[]> = { dev: [], staging: [], prod: [] };
  for (const r of rows) out[r.environment] = r.requiredSuites;
  return out;
}

/** Sets the eval suites an environment requires before a version may be deployed there. */
export async function setRequiredSuites(actor: Actor, meta: RequestMeta, raw: RequiredSuitesInput) {
  requireAdmin(actor);
  const input = RequiredSuitesSchema.parse(raw);
  const environment = input.environment;
  const suites = [...new Set(input.suites)].sort();
  return inTransaction(async (tx) => {
    const before = await requiredSuites(tx, environment);
    await tx.environmentPolicy.upsert({
      where: { environment },
      create: { environment, requireApproval: DEFAULTS[environment], requiredSuites: suites },
      update: { requiredSuites: suites },
    });
    if (before.join() !== suites.join()) {
      await writeAuditEvent(tx, actor, meta, { action: "policy.updated", targetType: "environment", targetId: environment, before: { requiredSuites: before }, after: { requiredSuites: suites } });
    }
    return { environment, requiredSuites: suites };
  });
}
