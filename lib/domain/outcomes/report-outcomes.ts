import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { DomainError } from "../errors";
import { usdToMicros } from "../money";
import { timestampOutsideWindow } from "../usage/timestamp-window";
import { checkOutcomeCosts } from "./cost-alerts";
import { OutcomeBatchSchema } from "./schemas";

/**
 * Records a batch of an agent's outcomes, all or nothing, idempotent on event id (a repeated id counts as a duplicate).
 * Every outcome names a defined, unarchived outcome type the agent is listed to report: an unknown type is refused
 * (422 unknown_outcome_type), as is one the agent may not report (422 outcome_type_not_allowed), naming the field;
 * nothing is stored as free text. A value is only for types that carry one. Timestamps (default: now) lie in the
 * window usage accepts.
 */
export async function reportOutcomes(agentId: string, raw: unknown, now = new Date()) {
  const { outcomes } = OutcomeBatchSchema.parse(raw);
  const names = [...new Set(outcomes.map((o) => o.type))];
  const types = await db().outcomeType.findMany({
    where: { name: { in: names }, archivedAt: null },
    include: { reporters: { where: { agentId }, select: { agentId: true } } },
  });
  const byName = new Map(types.map((t) => [t.name, t]));
  const unknown: Record<string, string[]> = {};
  const notAllowed: Record<string, string[]> = {};
  const other: Record<string, string[]> = {};
  outcomes.forEach((o, i) => {
    const t = byName.get(o.type);
    if (!t) unknown[`outcomes.${i}.type`] = [`no outcome type named "${o.type}" is in use (undefined or archived)`];
    else if (!t.reporters.length) notAllowed[`outcomes.${i}.type`] = [`this agent is not listed to report ${o.type}`];
    else if (o.valueUsd != null && !t.hasValue) other[`outcomes.${i}.valueUsd`] = [`${o.type} carries no value`];
    const late = o.timestamp && timestampOutsideWindow(o.timestamp, now);
    if (late) other[`outcomes.${i}.timestamp`] = [late];
  });
  if (Object.keys(unknown).length)
    throw new DomainError("validation", "unknown_outcome_type", "An outcome names an undefined type", unknown);
  if (Object.keys(notAllowed).length)
    throw new DomainError("validation", "outcome_type_not_allowed", "An outcome type is not this agent's", notAllowed);
  if (Object.keys(other).length) throw new DomainError("validation", "validation_failed", "Invalid outcomes", other);
  return inTransaction(async (tx) => {
    const { count } = await tx.outcome.createMany({
      data: outcomes.map((o) => ({
        agentId,
        outcomeTypeId: byName.get(o.type)!.id,
        eventId: o.id,
        taskId: o.taskId,
        versionNumber: o.version ?? null,
        success: o.success,
        valueMicros: o.valueUsd == null ? null : usdToMicros(o.valueUsd),
        timestamp: o.timestamp ?? now,
      })),
      skipDuplicates: true,
    });
    // A budget per outcome: the types with a maximum cost per success are judged for this agent's period.
    const objectives = count
      ? types.flatMap((t) =>
          t.maxCostPerSuccessMicros === null ? [] : [{ ...t, maxCostPerSuccessMicros: t.maxCostPerSuccessMicros }],
        )
      : [];
    if (objectives.length) {
      const agent = await tx.agent.findUniqueOrThrow({
        where: { id: agentId },
        select: { id: true, slug: true, teamId: true },
      });
      await checkOutcomeCosts(tx, agent, objectives, now);
    }
    return { accepted: count, duplicates: outcomes.length - count };
  });
}
