import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction, type SqlTx, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, readableTeamIds, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, invalid, notFound } from "../errors";
import { globMatch } from "../permissions/evaluate";
import { tidyName } from "../text";
import { CLASSIFICATIONS, type Classification, ResourceInputSchema, ResourceUpdateSchema } from "./schemas";

type Row = NonNullable<Awaited<ReturnType<typeof loadResource>>>;

const view = ({ updatedAt: _, ...r }: Row) => ({
  ...r,
  archivedAt: r.archivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});
export type ResourceView = ReturnType<typeof view>;

const loadResource = (client: Tx | ReturnType<typeof db>, id: string) => client.resource.findUnique({ where: { id } });

/** A team lead sees an owner team only if it is theirs (the others' existence is not theirs to learn). */
function scoped(actor: Actor, v: ResourceView): ResourceView {
  const teams = readableTeamIds(actor);
  return teams && v.ownerTeamId && !teams.includes(v.ownerTeamId) ? { ...v, ownerTeamId: null } : v;
}

/** The catalogue of governed resources, by name (everyone signed in reads it; `archived` adds archived ones). */
export async function listResources(actor: Actor, { archived = false } = {}) {
  const rows = await db().resource.findMany({ where: archived ? {} : { archivedAt: null }, orderBy: { name: "asc" } });
  return rows.map((r) => scoped(actor, view(r)));
}

export async function getResource(actor: Actor, id: string) {
  // Ids are UUIDs: anything else (a NUL from a hostile path) is absent, not a query error.
  const r = /^[0-9a-f-]{36}$/i.test(id) ? await loadResource(db(), id) : null;
  if (!r) throw notFound("Resource");
  return scoped(actor, view(r));
}

async function checkUnique(tx: Tx, input: { name?: string; pattern?: string; ownerTeamId?: string | null }, id = "") {
  if (input.ownerTeamId != null && !(await tx.team.count({ where: { id: input.ownerTeamId } })))
    throw invalid("The resource refers to what does not exist", { ownerTeamId: ["no such team"] });
  // Two admins cataloguing at once queue here, so the second sees the first's name and pattern.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('resources'))`;
  const clash = await tx.resource.findFirst({
    where: {
      id: { not: id },
      OR: [
        ...(input.name ? [{ name: { equals: input.name, mode: "insensitive" as const } }] : []),
        ...(input.pattern ? [{ pattern: { equals: input.pattern, mode: "insensitive" as const } }] : []),
      ],
    },
  });
  if (clash)
    throw conflict(
      "resource_exists",
      clash.name.toLowerCase() === input.name?.toLowerCase()
        ? `A resource named ${clash.name} exists already`
        : `${clash.name} already covers the pattern ${clash.pattern}`,
    );
}

/** Admins catalogue a resource: its name, the glob its calls' resource strings match, kind, classification, owner. */
export async function createResource(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = ResourceInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    await checkUnique(tx, input);
    const after = view(await tx.resource.create({ data: input }));
    await writeAuditEvent(tx, actor, meta, {
      action: "resource.created",
      targetType: "resource",
      targetId: after.id,
      teamId: after.ownerTeamId,
      after,
    });
    return after;
  });
}

/** Admins rename, re-scope, reclassify or archive a catalogued resource. Audited with before and after. */
export async function updateResource(actor: Actor, meta: RequestMeta, id: string, raw: unknown) {
  requireAdmin(actor);
  const { archived, ...input } = ResourceUpdateSchema.parse(raw);
  return inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM resources WHERE id = ${id} FOR UPDATE`;
    const found = await loadResource(tx, id);
    if (!found) throw notFound("Resource");
    await checkUnique(tx, input, id);
    const before = view(found);
    const data = {
      ...input,
      archivedAt: archived === undefined ? undefined : archived ? (found.archivedAt ?? new Date()) : null,
    };
    // Saving a form unchanged writes nothing and audits nothing. Every field is a string, an enum or null, and an
    // archived resource keeps its very archivedAt, so strict equality is the comparison.
    const changes = Object.entries(data).some(([k, v]) => v !== undefined && v !== found[k as keyof typeof found]);
    if (!changes) return scoped(actor, before);
    const after = view(await tx.resource.update({ where: { id }, data }));
    await writeAuditEvent(tx, actor, meta, {
      action: "resource.updated",
      targetType: "resource",
      targetId: id,
      teamId: after.ownerTeamId,
      before,
      after,
    });
    return after;
  });
}

export type CatalogueEntry = { id: string; name: string; pattern: string; classification: Classification };

const rank = (c: Classification) => CLASSIFICATIONS.indexOf(c);
/**
 * Matching ignores case, compatibility forms (full-width letters, ligatures) and invisible characters and spaces
 * (`db:crm/cust\u00ADomers/42` is a customer record to a gateway that tidies names): tidyName, then lower case.
 */
const fold = (s: string) => tidyName(s).toLowerCase();

/** The live entries whose glob matches a resource string, most sensitive first. */
function matching<E extends Omit<CatalogueEntry, "id" | "name">>(catalogue: E[], resource: string): E[] {
  const value = fold(resource);
  return catalogue
    .filter((e) => globMatch(fold(e.pattern), value))
    .sort((a, b) => rank(b.classification) - rank(a.classification));
}

/**
 * The catalogue entry a resource string falls under: of the live entries whose glob matches it (case ignored, so
 * `DB:CRM/Customers` cannot slip past an entry for `db:crm/customers`), the most sensitive one. Null: not catalogued.
 */
export function entryFor<E extends Omit<CatalogueEntry, "id" | "name">>(catalogue: E[], resource: string): E | null {
  return matching(catalogue, resource)[0] ?? null;
}

/** The live catalogue, as matching needs it. */
export async function liveCatalogue(client: Pick<SqlTx, "$queryRaw"> = db()): Promise<CatalogueEntry[]> {
  return client.$queryRaw<CatalogueEntry[]>`
    SELECT id, name, pattern, classification::text AS classification FROM resources WHERE "archivedAt" IS NULL ORDER BY id`;
}

export type Classified = { classification: Classification | null; classifications: Classification[] };

/**
 * What rules naming a classification read of a resource: the most sensitive classification of the entries it falls
 * under (allow rules match it) and all of them (deny rules match any). The catalogue is read only when one of the
 * rules names a classification; otherwise every resource is unclassified, which no such rule reads.
 */
export async function classifier(
  rules: { classification?: string | null }[],
  client: Pick<SqlTx, "$queryRaw"> = db(),
): Promise<(resource: string) => Classified> {
  const catalogue = rules.some((r) => r.classification) ? await liveCatalogue(client) : [];
  return (resource) => {
    const classes = [...new Set(matching(catalogue, resource).map((e) => e.classification))];
    return { classification: classes[0] ?? null, classifications: classes };
  };
}
