import { db } from "@/lib/db/client";
import type { Environment } from "@/lib/db/generated/enums";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";

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
