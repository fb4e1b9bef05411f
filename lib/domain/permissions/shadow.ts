import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { notFound } from "../errors";
import { sumMicros } from "../money-sql";
import type { RuleOutcome } from "./evaluate";
import { ShadowQuerySchema, type ShadowReport } from "./shadow-schemas";

/**
 * What a shadow rule would have done: the decisions recorded in the window (since its last edit) on which the rule was judged (its action
 * and resource matched), how many it would have decided differently from the rules in force, by transition, by day,
 * with the recorded usage cost behind the changed calls and the latest examples. Anyone who can see the agent.
 */
export async function shadowReport(
  actor: Actor,
  agentIdOrSlug: string,
  ruleId: string,
  raw: unknown,
): Promise<ShadowReport> {
  const { from, to } = ShadowQuerySchema.parse(raw);
  const agent = await getAgent(actor, agentIdOrSlug);
  const rule = await db().permissionRule.findFirst({
    where: { id: ruleId, agentId: agent.id },
    select: { id: true, updatedAt: true },
  });
  if (!rule) throw notFound("Permission rule");
  return shadowFigures(agent.id, rule, from, to);
}

/**
 * The figures from the rule's last change on (an edited rule's earlier verdicts judged another rule): `from` in the
 * answer is where they start.
 */
export async function shadowFigures(
  agentId: string,
  rule: { id: string; updatedAt: Date },
  since: Date,
  to: Date,
  client: Pick<Tx, "$queryRaw"> = db(),
): Promise<ShadowReport> {
  const ruleId = rule.id;
  const from = since < rule.updatedAt ? rule.updatedAt : since;
  // The rule's verdicts in the window by transition and day (a decision lists each matching shadow rule once).
  const rows = await client.$queryRaw<
    { from: RuleOutcome; to: RuleOutcome; day: Date; calls: number; usage: bigint }[]
  >`
    SELECT e->>'from' AS "from", e->>'to' AS "to", date_trunc('day', d."createdAt") AS day,
      count(*)::int AS calls, ${sumMicros(Prisma.sql`u.cost`)} AS usage
    FROM decisions d
    CROSS JOIN LATERAL jsonb_array_elements(d.shadow) e
    LEFT JOIN (
      SELECT "decisionId", sum(COALESCE("costMicros", 0)) AS cost FROM usage_events
      WHERE "agentId" = ${agentId} AND "decisionId" IS NOT NULL AND "timestamp" >= ${from}::timestamp(3)
      GROUP BY "decisionId"
    ) u ON u."decisionId" = d.id AND e->>'from' <> e->>'to'
    WHERE d."agentId" = ${agentId} AND d."createdAt" >= ${from}::timestamp(3) AND d."createdAt" < ${to}::timestamp(3)
      AND d.shadow IS NOT NULL AND e->>'ruleId' = ${ruleId}
    GROUP BY 1, 2, 3`;
  const examples = await client.$queryRaw<
    { decisionId: string; at: Date; action: string; resource: string; from: RuleOutcome; to: RuleOutcome }[]
  >`
    SELECT d.id AS "decisionId", d."createdAt" AS at, d.action, d.resource, e->>'from' AS "from", e->>'to' AS "to"
    FROM decisions d CROSS JOIN LATERAL jsonb_array_elements(d.shadow) e
    WHERE d."agentId" = ${agentId} AND d."createdAt" >= ${from}::timestamp(3) AND d."createdAt" < ${to}::timestamp(3)
      AND d.shadow IS NOT NULL AND e->>'ruleId' = ${ruleId} AND e->>'from' <> e->>'to'
    ORDER BY d."createdAt" DESC, d.id DESC LIMIT 10`;

  const transitions = new Map<string, ShadowReport["transitions"][number]>();
  const days = new Map<string, ShadowReport["days"][number]>();
  let matched = 0;
  let changed = 0;
  let changedUsage = 0n;
  for (const r of rows) {
    const day = r.day.toISOString().slice(0, 10);
    const d = days.get(day) ?? { day, matched: 0, changed: 0 };
    days.set(day, d);
    d.matched += r.calls;
    matched += r.calls;
    if (r.from === r.to) continue;
    d.changed += r.calls;
    changed += r.calls;
    changedUsage += BigInt(r.usage);
    const key = `${r.from}>${r.to}`;
    const t = transitions.get(key) ?? { from: r.from, to: r.to, calls: 0, usageMicros: 0 };
    transitions.set(key, t);
    t.calls += r.calls;
    t.usageMicros += Number(r.usage);
  }
  return {
    ruleId,
    from: from.toISOString(),
    to: to.toISOString(),
    matched,
    changed,
    changedUsageMicros: Number(changedUsage),
    transitions: [...transitions.values()].sort((a, b) => b.calls - a.calls),
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    examples: examples.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}
