import "server-only";
import { db, withReader } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction } from "@/lib/db/tx";
import { toCsv } from "@/lib/http/csv";
import { type Actor, type RequestMeta, readableTeamIds, refuseCrossSiteRead } from "../actor";
import { getAgent } from "../agents/queries";
import { writeAuditEvent } from "../audit/write-audit-event";
import { forbidden } from "../errors";
import { escapeLike, tidyName } from "../text";
import { entryFor, getResource, liveCatalogue } from "./catalogue";
import { type Lineage, LineageQuerySchema, SubjectLineageQuerySchema } from "./schemas";

/** How many (agent, version, rule, resource, on behalf of, decision) combinations an answer lists: the most frequent. */
export const LINEAGE_GROUPS = 500;
const TOUCHED = 200;

/**
 * A catalogue glob as a LIKE pattern over folded text (NFKC, then lower case, as classification matches; `\` escapes
 * LIKE's own `%`, `_` and `\`).
 */
export function likeOf(glob: string): string {
  return escapeLike(tidyName(glob).toLowerCase()).replace(/\*/g, "%").replace(/\?/g, "_");
}

/**
 * tidyName's characters (Default_Ignorable_Code_Point and white space, as Node's Unicode tables list them) as a
 * PostgreSQL regular expression class: its int test checks the two agree code point by code point.
 */
export const TIDY_CLASS =
  "[\\u0009-\\u000D\\u0020\\u00A0\\u00AD\\u034F\\u061C\\u115F\\u1160\\u1680\\u17B4\\u17B5\\u180B-\\u180F\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u206F\\u3000\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFF8\\U0001BCA0-\\U0001BCA3\\U0001D173-\\U0001D17A\\U000E0000-\\U000E0FFF]";

/**
 * A resource column folded as the catalogue folds a resource (tidyName, lower case), in SQL. Printable ASCII, nearly
 * every resource, has nothing to fold but case: only the others pay for NFKC and the character class.
 */
const tidied = (column: Prisma.Sql) =>
  Prisma.sql`lower(CASE WHEN ${column} ~ '[^!-~]' THEN regexp_replace(normalize(${column}, NFKC), ${TIDY_CLASS}, '', 'g') ELSE ${column} END)`;

/** What a lineage reads: one resource's calls, one person's, or one agent's. */
type Filter = { pattern: string } | { onBehalfOf: string } | { agentId: string };

function where(actor: Actor, f: Filter, range: { from: Date; to: Date }) {
  const teams = readableTeamIds(actor);
  return Prisma.join(
    [
      Prisma.sql`d."createdAt" >= ${range.from}::timestamp(3) AND d."createdAt" < ${range.to}::timestamp(3)`,
      "pattern" in f
        ? Prisma.sql`${tidied(Prisma.sql`d.resource`)} LIKE ${likeOf(f.pattern)}`
        : "onBehalfOf" in f
          ? Prisma.sql`d."onBehalfOf" = ${f.onBehalfOf}`
          : Prisma.sql`d."agentId" = ${f.agentId}`,
      // A team lead reads their teams' agents' calls only.
      teams
        ? Prisma.sql`d."agentId" IN (SELECT id FROM agents WHERE "teamId" = ANY(${teams}::text[]))`
        : Prisma.sql`TRUE`,
    ],
    " AND ",
  );
}

/**
 * On whose behalf a call was made is personal data: a viewer reads lineage without it (calls, agents, rules and the
 * number of people, not who they are).
 */
const person = (actor: Actor, column: Prisma.Sql) =>
  actor.type === "user" && actor.role === "viewer" ? Prisma.sql`NULL::text` : column;

type GroupRow = Omit<Lineage["groups"][number], "firstAt" | "lastAt" | "rule"> & { firstAt: Date; lastAt: Date };

/** Each rule as it reads now: "#2 allow data:read on db:*" (personal data only, …). */
async function ruleLabels(ids: string[]): Promise<Map<string, string>> {
  const rules = ids.length
    ? await db().permissionRule.findMany({
        where: { id: { in: ids } },
        select: { id: true, position: true, effect: true, action: true, resource: true, classification: true },
      })
    : [];
  return new Map(
    rules.map((r) => [
      r.id,
      `#${r.position} ${r.effect} ${r.action} on ${r.resource}${r.classification ? ` (${r.classification} only)` : ""}`,
    ]),
  );
}

/**
 * The lineage of a filter over a period: every decision recorded as (agent, version, rule, resource, on behalf of,
 * decision, time), counted per combination, with the totals: one scan, on the read replica when there is one.
 */
async function lineage(actor: Actor, f: Filter, range: { from: Date; to: Date }): Promise<Lineage> {
  // One scan: every combination, then the totals over them (a person or agent is in some combination iff in a call).
  const rows = await withReader(
    (client) => client.$queryRaw<
      (GroupRow & { totalCalls: number; groupCount: number; agents: number; people: number })[]
    >`
      WITH c AS (
        SELECT d."agentId", d."versionNumber", d."ruleId", d.resource, d."onBehalfOf", d.decision::text AS decision,
          count(*)::int AS calls, min(d."createdAt") AS "firstAt", max(d."createdAt") AS "lastAt"
        FROM decisions d WHERE ${where(actor, f, range)}
        GROUP BY d."agentId", d."versionNumber", d."ruleId", d.resource, d."onBehalfOf", d.decision
      ),
      g AS (
        SELECT "agentId", "versionNumber", "ruleId", resource, ${person(actor, Prisma.sql`"onBehalfOf"`)} AS "onBehalfOf",
          decision, sum(calls)::int AS calls, min("firstAt") AS "firstAt", max("lastAt") AS "lastAt"
        FROM c GROUP BY 1, 2, 3, 4, 5, 6
      )
      SELECT g.*, a.slug AS "agentSlug", (sum(g.calls) OVER ())::int AS "totalCalls",
        (count(*) OVER ())::int AS "groupCount",
        (SELECT count(DISTINCT "agentId") FROM c)::int AS agents,
        (SELECT count(DISTINCT "onBehalfOf") FROM c)::int AS people
      FROM g JOIN agents a ON a.id = g."agentId"
      ORDER BY g.calls DESC, g."lastAt" DESC, g."agentId", g.resource COLLATE "C", g."versionNumber",
        g."ruleId" COLLATE "C", g."onBehalfOf" COLLATE "C", g.decision COLLATE "C"
      LIMIT ${LINEAGE_GROUPS}`,
  );
  const labels = await ruleLabels([...new Set(rows.flatMap((g) => (g.ruleId ? [g.ruleId] : [])))]);
  const first = rows[0];
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    calls: first?.totalCalls ?? 0,
    agents: first?.agents ?? 0,
    people: first?.people ?? 0,
    groupCount: first?.groupCount ?? 0,
    groups: rows.map(({ totalCalls: _, groupCount: __, agents: ___, people: ____, ...g }) => ({
      ...g,
      rule: g.ruleId ? (labels.get(g.ruleId) ?? null) : null,
      firstAt: g.firstAt.toISOString(),
      lastAt: g.lastAt.toISOString(),
    })),
  };
}

/** Who touched a catalogued resource, for whom, under which rule and version, over a period. */
export async function resourceLineage(actor: Actor, id: string, raw: unknown) {
  const range = LineageQuerySchema.parse(raw);
  const resource = await getResource(actor, id);
  return { resource, lineage: await lineage(actor, { pattern: resource.pattern }, range) };
}

/**
 * A person's lineage is personal data: admins and auditors read it (a team lead, for their teams' agents), viewers do
 * not, and every lookup is audited (who looked up whom, for which period, in what form).
 */
async function readSubject(actor: Actor, meta: RequestMeta, raw: unknown, form: "json" | "csv") {
  if (actor.type === "user" && actor.role === "viewer")
    throw forbidden("Only admins, auditors and team leads read what agents did for a person");
  // A lookup is audited in the reader's name: another site's link must not be able to make one with their cookie.
  refuseCrossSiteRead(
    actor,
    meta,
    "A lookup of what agents did for a person starts from the console: open it there and search again",
  );
  const q = SubjectLineageQuerySchema.parse(raw);
  await inTransaction((tx) =>
    writeAuditEvent(tx, actor, meta, {
      action: "lineage.subject_read",
      targetType: "person",
      after: { onBehalfOf: q.onBehalfOf, from: q.from, to: q.to, form },
    }),
  );
  return q;
}

/** What agents did on a person's behalf over a period (a data-subject request). */
export async function subjectLineage(actor: Actor, meta: RequestMeta, raw: unknown) {
  const q = await readSubject(actor, meta, raw, "json");
  return { onBehalfOf: q.onBehalfOf, lineage: await lineage(actor, { onBehalfOf: q.onBehalfOf }, q) };
}

/**
 * The resources an agent touched over a period, most called first, each with the catalogue entry it falls under:
 * its calls, how many were allowed (or degraded), for how many people, and the last one.
 */
export async function touchedResources(actor: Actor, agentIdOrSlug: string, raw: unknown) {
  const range = LineageQuerySchema.parse(raw);
  const agent = await getAgent(actor, agentIdOrSlug);
  const w = where(actor, { agentId: agent.id }, range);
  const [rows, catalogue] = await Promise.all([
    withReader(
      (client) => client.$queryRaw<
        { resource: string; calls: number; allowed: number; people: number; lastAt: Date }[]
      >`
        SELECT d.resource, count(*)::int AS calls,
          (count(*) FILTER (WHERE d.decision IN ('allow', 'degrade')))::int AS allowed,
          count(DISTINCT d."onBehalfOf")::int AS people, max(d."createdAt") AS "lastAt"
        FROM decisions d WHERE ${w}
        GROUP BY d.resource ORDER BY calls DESC, d.resource LIMIT ${TOUCHED + 1}`,
    ),
    liveCatalogue(),
  ]);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    items: rows.slice(0, TOUCHED).map((r) => {
      const e = entryFor(catalogue, r.resource);
      return {
        ...r,
        catalogued: e && { id: e.id, name: e.name, classification: e.classification },
        lastAt: r.lastAt.toISOString(),
      };
    }),
    more: rows.length > TOUCHED,
  };
}

const CSV_HEADER = [
  "time",
  "decision_id",
  "agent",
  "version",
  "rule_id",
  "resource",
  "on_behalf_of",
  "action",
  "decision",
  "code",
  "reason",
];
const PAGE = 5000;

/** Every decision of a lineage as CSV, oldest first, read page by page (keyset) as the client takes it. */
async function* lineageCsv(actor: Actor, f: Filter, range: { from: Date; to: Date }): AsyncGenerator<string> {
  yield toCsv([], CSV_HEADER);
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const key: Prisma.Sql = after
      ? Prisma.sql`AND (d."createdAt", d.id) > (${after.at}::timestamp(3), ${after.id})`
      : Prisma.empty;
    const rows = await withReader(
      (client) => client.$queryRaw<
        {
          createdAt: Date;
          id: string;
          slug: string;
          versionNumber: number | null;
          ruleId: string | null;
          resource: string;
          onBehalfOf: string | null;
          action: string;
          decision: string;
          code: string;
          reason: string;
        }[]
      >`
        SELECT d."createdAt", d.id, a.slug, d."versionNumber", d."ruleId", d.resource,
          ${person(actor, Prisma.sql`d."onBehalfOf"`)} AS "onBehalfOf", d.action,
          d.decision::text AS decision, d.code, d.reason
        FROM decisions d JOIN agents a ON a.id = d."agentId"
        WHERE ${where(actor, f, range)} ${key}
        ORDER BY d."createdAt", d.id LIMIT ${PAGE}`,
    );
    if (!rows.length) return;
    yield toCsv(
      rows.map((r) => [
        r.createdAt,
        r.id,
        r.slug,
        r.versionNumber,
        r.ruleId,
        r.resource,
        r.onBehalfOf,
        r.action,
        r.decision,
        r.code,
        r.reason,
      ]),
    );
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { at: last.createdAt, id: last.id };
  }
}

/** A resource's lineage as CSV: the file name and the rows (checked before the first byte is sent). */
export async function resourceLineageCsv(actor: Actor, id: string, raw: unknown) {
  const range = LineageQuerySchema.parse(raw);
  const resource = await getResource(actor, id);
  const slug =
    resource.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "resource";
  return {
    filename: `lineage-${slug}-${range.from.toISOString().slice(0, 10)}-to-${range.to.toISOString().slice(0, 10)}.csv`,
    chunks: lineageCsv(actor, { pattern: resource.pattern }, range),
  };
}

/** A person's lineage as CSV. */
export async function subjectLineageCsv(actor: Actor, meta: RequestMeta, raw: unknown) {
  const q = await readSubject(actor, meta, raw, "csv");
  return {
    filename: `lineage-on-behalf-${q.from.toISOString().slice(0, 10)}-to-${q.to.toISOString().slice(0, 10)}.csv`,
    chunks: lineageCsv(actor, { onBehalfOf: q.onBehalfOf }, q),
  };
}
