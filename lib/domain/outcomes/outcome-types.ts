import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, readableTeamIds, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, invalid, notFound } from "../errors";
import { microsToUsdOrNull, usdToMicros } from "../money";
import { OutcomeTypeInputSchema, OutcomeTypeUpdateSchema } from "./schemas";

const include = { reporters: { select: { agentId: true } } } as const;
type Row = Awaited<ReturnType<typeof loadType>>;

const view = ({ reporters, updatedAt: _, maxCostPerSuccessMicros, ...t }: NonNullable<Row>) => ({
  ...t,
  maxCostPerSuccessUsd: microsToUsdOrNull(maxCostPerSuccessMicros),
  agentIds: reporters.map((r) => r.agentId).sort(),
  archivedAt: t.archivedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});
export type OutcomeTypeView = ReturnType<typeof view>;

const loadType = (client: Tx | ReturnType<typeof db>, id: string) =>
  client.outcomeType.findUnique({ where: { id }, include });

/**
 * The organisation's outcome types, by name: what agents may report (everyone signed in reads them). A team lead sees
 * among the reporters only the agents of their teams, and an owner team only if it is theirs (the others' existence
 * is not theirs to learn).
 */
export async function listOutcomeTypes(actor: Actor, { archived = false } = {}) {
  const teams = readableTeamIds(actor);
  const rows = await db().outcomeType.findMany({
    where: archived ? {} : { archivedAt: null },
    include: { reporters: { where: teams ? { agent: { teamId: { in: teams } } } : {}, select: { agentId: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map((r) => {
    const v = view(r);
    return teams && v.ownerTeamId && !teams.includes(v.ownerTeamId) ? { ...v, ownerTeamId: null } : v;
  });
}

/** Agents and the owner team must exist: unknown ids are named, field by field. */
async function checkRefs(tx: Tx, input: { ownerTeamId?: string | null; agentIds?: string[] }) {
  const errors: Record<string, string[]> = {};
  if (input.ownerTeamId != null && !(await tx.team.count({ where: { id: input.ownerTeamId } })))
    errors.ownerTeamId = ["no such team"];
  if (input.agentIds?.length) {
    const found = new Set(
      (await tx.agent.findMany({ where: { id: { in: input.agentIds } }, select: { id: true } })).map((a) => a.id),
    );
    input.agentIds.forEach((id, i) => {
      if (!found.has(id)) errors[`agentIds.${i}`] = ["no such agent"];
    });
  }
  if (Object.keys(errors).length) throw invalid("The outcome type refers to what does not exist", errors);
}

/** Admins define an outcome type once for the organisation, with the agents that may report it. Audited. */
export async function createOutcomeType(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = OutcomeTypeInputSchema.parse(raw);
  const agentIds = [...new Set(input.agentIds)];
  return inTransaction(async (tx) => {
    await checkRefs(tx, { ...input, agentIds });
    // Two admins defining the same name at once queue here; the second sees the first's.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outcome_type:${input.name}`}))`;
    if (await tx.outcomeType.count({ where: { name: input.name } }))
      throw conflict("outcome_type_exists", `An outcome type named ${input.name} exists already`);
    const created = await tx.outcomeType.create({
      data: {
        name: input.name,
        unit: input.unit,
        description: input.description,
        ownerTeamId: input.ownerTeamId,
        hasValue: input.hasValue,
        maxCostPerSuccessMicros: input.maxCostPerSuccessUsd === null ? null : usdToMicros(input.maxCostPerSuccessUsd),
        costPeriod: input.costPeriod,
        reporters: { create: agentIds.map((agentId) => ({ agentId })) },
      },
      include,
    });
    const after = view(created);
    await writeAuditEvent(tx, actor, meta, {
      action: "outcome_type.created",
      targetType: "outcome_type",
      targetId: created.id,
      teamId: created.ownerTeamId,
      after,
    });
    return after;
  });
}

/** Admins change an outcome type's unit, description, owner, value and reporters, or archive it. Audited. */
export async function updateOutcomeType(actor: Actor, meta: RequestMeta, id: string, raw: unknown) {
  requireAdmin(actor);
  const input = OutcomeTypeUpdateSchema.parse(raw);
  const agentIds = input.agentIds && [...new Set(input.agentIds)];
  return inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM outcome_types WHERE id = ${id} FOR UPDATE`;
    const found = await loadType(tx, id);
    if (!found) throw notFound("Outcome type");
    await checkRefs(tx, { ...input, agentIds });
    const before = view(found);
    if (agentIds) {
      await tx.outcomeTypeReporter.deleteMany({ where: { outcomeTypeId: id } });
      await tx.outcomeTypeReporter.createMany({ data: agentIds.map((agentId) => ({ outcomeTypeId: id, agentId })) });
    }
    const updated = await tx.outcomeType.update({
      where: { id },
      data: {
        unit: input.unit,
        description: input.description,
        ownerTeamId: input.ownerTeamId,
        hasValue: input.hasValue,
        maxCostPerSuccessMicros:
          input.maxCostPerSuccessUsd == null ? input.maxCostPerSuccessUsd : usdToMicros(input.maxCostPerSuccessUsd),
        costPeriod: input.costPeriod,
        archivedAt: input.archived === undefined ? undefined : input.archived ? (found.archivedAt ?? new Date()) : null,
      },
      include,
    });
    const after = view(updated);
    await writeAuditEvent(tx, actor, meta, {
      action: "outcome_type.updated",
      targetType: "outcome_type",
      targetId: id,
      teamId: updated.ownerTeamId,
      before,
      after,
    });
    return after;
  });
}
