import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Actor } from "../actor";
import { getAgent } from "../agents/queries";
import { notFound } from "../errors";
import { sumMicros } from "../money-sql";
import { classifier } from "../resources/catalogue";
import { toolGate } from "../tools/gate";
import { type EvalRequest, evaluatePermissions, globMatch, outcomeOf, type RuleLike, type ToolHints } from "./evaluate";
import { type ReplayOutcome, ReplayRequestSchema, type RuleChange, type RuleReplay } from "./replay-schemas";
import { ruleColumns } from "./rule-columns";

type Rule = RuleLike & { allowedHours: unknown };
const SEP = "\u001f";
const MAX_GROUPS = 50;

/** The agent's rule list with the draft change applied (unknown rule ids are a 404, as saving would be). */
export function applyRuleChange(rules: Rule[], change: ReturnType<typeof ReplayRequestSchema.parse>["change"]): Rule[] {
  if (change.op === "add") {
    const position = Math.max(0, ...rules.map((r) => r.position)) + 1;
    return [...rules, { id: "draft", position, ...draftColumns(change.rule) }];
  }
  const target = rules.find((r) => r.id === change.ruleId);
  if (!target) throw notFound("Rule");
  if (change.op === "delete") return rules.filter((r) => r !== target);
  return rules.map((r) => (r === target ? { ...r, ...draftColumns(change.rule) } : r));
}

type RuleInput = Parameters<typeof ruleColumns>[0];
function draftColumns(rule: RuleInput) {
  const c = ruleColumns(rule);
  return { ...c, allowedHours: rule.allowedHours ?? null };
}

const outcome = (rules: Rule[], req: EvalRequest): ReplayOutcome => outcomeOf(evaluatePermissions(rules, req));

/** Allow rules matching the pair that carry a condition of this kind: the call's time or its cost estimate. */
const conditioned = (rules: Rule[], action: string, resource: string, kind: "hours" | "cost") =>
  rules.some(
    (r) =>
      r.effect === "allow" &&
      (kind === "hours" ? r.allowedHours != null : r.maxCostMicros != null) &&
      globMatch(r.action, action) &&
      globMatch(r.resource, resource),
  );

type Group = {
  action: string;
  resource: string;
  bucket: number | null;
  est: bigint | null;
  at: Date | null;
  calls: number;
  usage: bigint;
  firstId: string;
  lastId: string;
  firstAt: Date;
  lastAt: Date;
};

/**
 * What a draft change to an agent's rules would have done to its recorded calls: each decision recorded in the
 * window is decided by the rules in force now and by the rules with the draft applied, on the same action, resource,
 * cost estimate and time; the calls decided differently are counted by transition (allow → deny, allow → approval,
 * deny → allow…) and grouped by action and resource, with the recorded usage cost behind them and examples. Only
 * the permission rules are replayed (budgets, rate limits and agent status are not what the draft changes).
 *
 * Fast at any size, in bounded memory: the database groups the decisions by action and resource, and only where a
 * matching allow rule has a cost limit also by which limits the estimate exceeds, and only where one has a time window
 * also by minute; the calls of a group are decided alike, so each group is judged once.
 */
export async function replayRuleChange(actor: Actor, agentIdOrSlug: string, raw: unknown): Promise<RuleReplay> {
  const input = ReplayRequestSchema.parse(raw);
  const agent = await getAgent(actor, agentIdOrSlug);
  const current = (await db().permissionRule.findMany({ where: { agentId: agent.id } })) as Rule[];
  return replayRules(agent, current, applyRuleChange(current, input.change), input);
}

/**
 * The same for a whole draft rule list, in evaluation order (a configuration plan's rules for the agent), over the
 * last 7 days.
 */
export async function replayRuleList(
  actor: Actor,
  agentId: string,
  rules: RuleInput[],
  { deadline }: { deadline?: number } = {},
): Promise<RuleReplay> {
  const agent = await getAgent(actor, agentId);
  const current = (await db().permissionRule.findMany({ where: { agentId: agent.id } })) as Rule[];
  const draft = rules.map((r, i) => ({ id: `draft-${i + 1}`, position: i + 1, ...draftColumns(r) }));
  const to = new Date();
  return replayRules(agent, current, draft, { from: new Date(to.getTime() - 7 * 86_400_000), to, deadline });
}

async function replayRules(
  agent: Awaited<ReturnType<typeof getAgent>>,
  current: Rule[],
  draft: Rule[],
  input: { from: Date; to: Date; deadline?: number },
): Promise<RuleReplay> {
  const window = Prisma.sql`d."agentId" = ${agent.id} AND d."createdAt" >= ${input.from}::timestamp(3) AND d."createdAt" < ${input.to}::timestamp(3)`;

  const pairs = await db().$queryRaw<{ action: string; resource: string }[]>`
    SELECT DISTINCT d.action, d.resource FROM decisions d WHERE ${window}`;
  const keysWith = (kind: "hours" | "cost") =>
    pairs
      .filter((p) => conditioned(current, p.action, p.resource, kind) || conditioned(draft, p.action, p.resource, kind))
      .map((p) => `${p.action}${SEP}${p.resource}`);
  const key = Prisma.sql`(d.action || ${SEP} || d.resource)`;
  // A cost limit L denies estimates above L: calls whose estimates fall between the same limits are decided alike, so
  // they are grouped by that interval (width_bucket over the sorted limits + 1 counts the limits below the estimate).
  const limits = [
    ...new Set([...current, ...draft].filter((r) => r.maxCostMicros != null).map((r) => r.maxCostMicros! + 1n)),
  ].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bucket = limits.length
    ? Prisma.sql`CASE WHEN d."estimatedMicros" IS NULL THEN -1 ELSE width_bucket(d."estimatedMicros", ${limits}::bigint[]) END`
    : Prisma.sql`CASE WHEN d."estimatedMicros" IS NULL THEN -1 ELSE 0 END`;
  const groups = await db().$queryRaw<Group[]>`
    SELECT d.action, d.resource,
      CASE WHEN ${key} = ANY(${keysWith("cost")}::text[]) THEN ${bucket} END AS bucket,
      CASE WHEN ${key} = ANY(${keysWith("hours")}::text[]) THEN date_trunc('minute', d."createdAt") END AS at,
      min(d."estimatedMicros") AS est, count(*)::int AS calls, ${sumMicros(Prisma.sql`u.cost`)} AS usage,
      min(d.id COLLATE "C") AS "firstId", max(d.id COLLATE "C") AS "lastId", min(d."createdAt") AS "firstAt", max(d."createdAt") AS "lastAt"
    FROM decisions d
    LEFT JOIN (
      SELECT "decisionId", sum(COALESCE("costMicros", 0)) AS cost FROM usage_events
      WHERE "agentId" = ${agent.id} AND "decisionId" IS NOT NULL AND "timestamp" >= ${input.from}::timestamp(3)
      GROUP BY "decisionId"
    ) u ON u."decisionId" = d.id
    WHERE ${window}
    GROUP BY 1, 2, 3, 4`;

  // Tool annotations, for rules that match on them: one catalog read per distinct mcp: resource. A call the catalog
  // refuses before any rule (a held or rejected tool, a name no tool has) is refused under either set of rules.
  const hints = new Map<string, ToolHints | null>();
  const refused = new Set<string>();
  for (const r of new Set(groups.map((g) => g.resource))) {
    // A caller with a deadline (a configuration plan) gets no answer rather than a late one.
    if (input.deadline !== undefined && Date.now() > input.deadline)
      throw new Error("the replay ran past its deadline");
    const gate = await toolGate(db(), agent, r);
    if (gate.refused) refused.add(r);
    else hints.set(r, gate.hints);
  }

  // The catalogue's classification of each resource (today's catalogue), for rules that match on it.
  const classify = await classifier([...current, ...draft]);

  let decisions = 0;
  const flips = new Flips<ReplayOutcome>();
  for (const g of groups) {
    decisions += g.calls;
    if (refused.has(g.resource)) continue;
    // A group without a minute stands for calls at any time: judged at its last call (no rule it meets has a window).
    const req: EvalRequest = {
      action: g.action,
      resource: g.resource,
      estimatedMicros: g.est,
      at: g.at ?? g.lastAt,
      tool: hints.get(g.resource) ?? null,
      ...classify(g.resource),
    };
    const from = outcome(current, req);
    const to = outcome(draft, req);
    if (from !== to) flips.add({ ...g, from, to });
  }
  return flips.result(input, decisions);
}

type Flip<O> = {
  action: string;
  resource: string;
  from: O;
  to: O;
  calls: number;
  usage: bigint;
  firstId: string;
  lastId: string;
  firstAt: Date;
  lastAt: Date;
};

/**
 * The calls a draft decides differently, tallied by action, resource and transition (rule and budget replays alike):
 * the counts, the usage behind them and the first and last example of each group.
 */
export class Flips<O extends string> {
  private groups = new Map<string, Flip<O>>();

  add(f: Flip<O>) {
    const key = [f.action, f.resource, f.from, f.to].join(SEP);
    const seen = this.groups.get(key);
    if (!seen) this.groups.set(key, { ...f });
    else {
      seen.calls += f.calls;
      seen.usage += f.usage;
      if (f.firstAt < seen.firstAt) [seen.firstAt, seen.firstId] = [f.firstAt, f.firstId];
      if (f.lastAt > seen.lastAt) [seen.lastAt, seen.lastId] = [f.lastAt, f.lastId];
    }
  }

  result(window: { from: Date; to: Date }, decisions: number) {
    const all = [...this.groups.values()].sort((a, b) => b.calls - a.calls || a.action.localeCompare(b.action));
    const transitions = new Map<string, { from: O; to: O; calls: number; usageMicros: number }>();
    for (const g of all) {
      const t = transitions.get(`${g.from}${SEP}${g.to}`) ?? { from: g.from, to: g.to, calls: 0, usageMicros: 0 };
      t.calls += g.calls;
      t.usageMicros += Number(g.usage);
      transitions.set(`${g.from}${SEP}${g.to}`, t);
    }
    return {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      decisions,
      changed: all.reduce((n, g) => n + g.calls, 0),
      changedUsageMicros: all.reduce((n, g) => n + Number(g.usage), 0),
      transitions: [...transitions.values()].sort((a, b) => b.calls - a.calls),
      groups: all.slice(0, MAX_GROUPS).map((g) => ({
        action: g.action,
        resource: g.resource,
        from: g.from,
        to: g.to,
        calls: g.calls,
        usageMicros: Number(g.usage),
        firstAt: g.firstAt.toISOString(),
        lastAt: g.lastAt.toISOString(),
        examples: [...new Set([g.lastId, g.firstId])],
      })),
      moreGroups: Math.max(0, all.length - MAX_GROUPS),
    };
  }
}

/**
 * What a rule change did to the last 7 days of recorded calls, as kept with the change in its audit event: the counts,
 * the transitions and the five largest groups (their examples left out).
 */
export type ReplayImpact = NonNullable<Awaited<ReturnType<typeof replayImpact>>>;
export async function replayImpact(actor: Actor, agentId: string, change: RuleChange) {
  const r = await replayRuleChange(actor, agentId, { change }).catch(() => null);
  // Best effort: a change (an urgent deny) is never held up by its replay; an unknown rule id fails in the command.
  return r ? impactOf(r) : undefined;
}

/** A replay as kept in a change's audit event: the counts, the transitions, the five largest groups without examples. */
export function impactOf<T, G extends { examples: string[] }>(r: {
  from: string;
  to: string;
  decisions: number;
  changed: number;
  changedUsageMicros: number;
  transitions: T[];
  groups: G[];
}) {
  return {
    from: r.from,
    to: r.to,
    decisions: r.decisions,
    changed: r.changed,
    changedUsageMicros: r.changedUsageMicros,
    transitions: r.transitions,
    groups: r.groups.slice(0, 5).map(({ examples: _, ...g }) => g),
  };
}
