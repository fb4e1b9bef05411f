import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { Preload } from "@/lib/auth/agent-key";
import { Prisma } from "@/lib/db/generated/client";
import { commitsWithLastStatement, fullTx, inLeanTransaction, type SqlClient, type SqlTx } from "@/lib/db/tx";
import type { RequestMeta } from "../actor";
import {
  type ApprovalRow,
  atPendingLimit,
  claimGrant,
  findOpenApproval,
  MAX_PENDING_APPROVALS,
  openApproval,
  recordRedemption,
  releaseGrant,
} from "../approvals/lifecycle";
import { writeOrDeferAuditEvent } from "../audit/deferred";
import { writeAuditEvent } from "../audit/write-audit-event";
import { budgetOver } from "../budgets/admit";
import {
  type BudgetRow,
  cancelReservations,
  coversAgent,
  ensurePeriodRows,
  type PeriodBalance,
  type Reservation,
  releaseExpiredReservations,
  reserveBudgets,
} from "../budgets/ledger";
import { type PeriodZone, periodEnd, periodStart } from "../budgets/periods";
import { notFound } from "../errors";
import { microsToUsd, usdToMicros } from "../money";
import {
  evaluatePermissions,
  type PermissionVerdict,
  type RuleLike,
  type ShadowVerdict,
  shadowVerdicts,
} from "../permissions/evaluate";
import { type Classified, classifier } from "../resources/catalogue";
import { periodZoneSql } from "../settings/queries";
import { type ToolGate, toolGate } from "../tools/gate";
import { reasons } from "./reasons";
import { AuthorizeRequestSchema, type AuthorizeResponse, type DecisionCode } from "./schemas";

/** How long an unsettled reservation holds budget before it is released. */
export const reservationTtlMs = () => Number(process.env.RESERVATION_TTL_SECONDS ?? 300) * 1000;

type Outcome = {
  decision: "allow" | "deny" | "degrade" | "pending";
  code: DecisionCode;
  reason: string;
  ruleId?: string;
  budgetId?: string;
  model?: string;
};

type AuthorizeInput = ReturnType<typeof AuthorizeRequestSchema.parse>;
/** The call as recorded: the request, its estimate in micro-dollars, and what shadow rules would have made of it. */
type Call = { input: AuthorizeInput; estimate: bigint | null; shadow: ShadowVerdict[] };

/** On whose behalf the call is made: `onBehalfOf`, else a `context.onBehalfOf` string (trimmed, at most 256). */
export function onBehalfOf(input: Pick<AuthorizeInput, "onBehalfOf" | "context">): string | null {
  if (input.onBehalfOf) return input.onBehalfOf;
  const c = input.context?.onBehalfOf;
  const s = typeof c === "string" ? c.trim() : "";
  return s && s.length <= 256 ? s : null;
}
type LoadedAgent = {
  id: string;
  slug: string;
  teamId: string;
  status: string;
  statusReason: string | null;
  catalogToolsOnly: boolean;
  updatedAt: Date;
  deployedVersion: { number: number; model: string; fallbackModel: string | null } | null;
  canaryVersion: number | null;
  rules: (RuleLike & { approvalTimeoutMinutes: number })[];
  budgets: BudgetRow[];
  /** Each budget's newest period row as loaded (its start, spent + reserved): what says whether `last` can settle the call. */
  latest: Map<string, { start: number; used: bigint }>;
};
type Tightest = { b: BudgetRow; remaining: bigint } | null;
/** A budget this call got past, with its period's balance after the call's reservation. */
type Hold = { b: BudgetRow; balance: PeriodBalance };
type Held = { holds: Hold[]; reservations: Reservation[]; exhausted?: BudgetRow };

/** The person who asked on the agent's behalf through the decision API (AuthZEN): never taken from the body. */
export type Asker = { id: string; label: string };

/**
 * The context as recorded: who asked comes only from the caller's identity. An agent's own `askedBy`/`askedById` are
 * dropped, so it can neither name a person as the asker (approvers trust it) nor bar an approver from approving.
 */
function withAsker<T extends { context?: Record<string, unknown> }>(input: T, asker?: Asker): T {
  if (!input.context && !asker) return input;
  const { askedBy: _, askedById: __, ...context } = input.context ?? {};
  return { ...input, context: asker ? { ...context, askedBy: asker.label, askedById: asker.id } : context };
}

/**
 * Answers an agent's "may I?". Permission rules first (default deny, deny wins), then every budget covering the
 * agent for the current period. A cost estimate is reserved against each budget with a conditional UPDATE, so
 * concurrent calls cannot together pass a `block` budget: committed + reserved never exceeds its limit.
 * Every decision is recorded; denials and degradations are audited, in the same transaction.
 * A rule that allows the call only with a person's approval opens an approval request (decision `pending`); the
 * agent authorizes again with its `approvalId` once approved, which redeems the one-time grant and goes on as an
 * allow (budgets reserve as usual).
 * Steps: load → evaluate → (approval) → record as an allow → reserve → combine → (rewrite the record) → audit.
 */
export async function authorizeAction(
  agentId: string,
  meta: RequestMeta,
  raw: unknown,
  now = new Date(),
  asker?: Asker,
  snapshot?: DecisionSnapshot,
): Promise<AuthorizeResponse> {
  const input = withAsker(AuthorizeRequestSchema.parse(raw), asker);
  const estimate = input.estimatedCostUsd === undefined ? null : usdToMicros(input.estimatedCostUsd);
  const ask: Ask = { agentId, meta, input, estimate, now, asker, snapshot };
  // Most calls end with the reservation's statement, its COMMIT sent with it (`last`). A call that statement cannot
  // settle alone (a new period, a budget exhausted or degrading) has written nothing and runs again, without `last`.
  return (await decide(ask, true)) ?? (await decide(ask, false))!;
}

type Ask = {
  agentId: string;
  meta: RequestMeta;
  input: AuthorizeInput;
  estimate: bigint | null;
  now: Date;
  asker: Asker | undefined;
  /** The agent as read with its key, just before (`decisionSnapshot`); the transaction reads it when absent. */
  snapshot?: DecisionSnapshot;
};

/** One try at the call, in one transaction: null when `last` could not settle it (and nothing was written). */
function decide({ agentId, meta, input, estimate, now, asker, snapshot }: Ask, last: boolean) {
  // Raw SQL on the hot path's own connection; a call that opens or redeems an approval reaches `fullTx` and runs
  // again, from the start, in a Prisma transaction (lib/db/tx.ts).
  return inLeanTransaction(async (tx): Promise<AuthorizeResponse | null> => {
    // The agent as read with its key, when that was just now (a body sent slowly must not keep an old read of the
    // rules and budgets alive): the transaction then only takes the agent's lock, as `loadAgent` does, in the
    // reservation's round trip. Otherwise (and on every other try) the transaction reads it.
    // (And one the reservation's statement can settle alone, as far as the snapshot says: else the long way.)
    const fresh =
      last &&
      commitsWithLastStatement(tx) &&
      snapshot?.agent.id === agentId &&
      performance.now() - snapshot.readAt < SNAPSHOT_TTL_MS &&
      settlesAlone(snapshot.agent, budgetItems(snapshot.agent, now), estimate ?? 0n);
    if (!fresh) return decideOn(tx, await loadAgent(tx, agentId));
    const present = tx.$queryRaw<unknown[]>`SELECT 1 FROM agents WHERE id = ${agentId} FOR KEY SHARE`.then(
      (r) => r.length > 0,
    );
    present.catch(() => {}); // awaited below
    try {
      const answer = await decideOn(tx, snapshot.agent, stillAsRead(snapshot.agent));
      // Deleted since the snapshot: nothing of this call could be kept (its decision's foreign key), so nothing was.
      if (!(await present)) throw notFound("Agent");
      return answer;
    } catch (err) {
      if (!(await present)) throw notFound("Agent"); // (and the lock's own failure is the one to report)
      throw err;
    }
  });

  /**
   * `asRead`: the agent comes from a snapshot, and this condition says its row is still as read. A call the
   * reservation's statement cannot settle alone then goes the long way from a read of its own (null), and that
   * statement writes nothing unless the condition holds when it runs (after any wait for the agent's lock: a call
   * queued behind a suspension sees it).
   */
  async function decideOn(tx: SqlTx, agent: LoadedAgent, asRead?: Prisma.Sql): Promise<AuthorizeResponse | null> {
    const decisionId = uuidv7(); // time-ordered: each insert goes to the primary key index's last page, not a random one
    const evaluated = evaluate(agent, input, estimate, now, {
      tool: await toolGate(tx, agent, input.resource),
      classified: (await classifier(agent.rules, tx))(input.resource),
    });
    const call: Call = { input, estimate, shadow: evaluated.shadow };
    const done = async (outcome: Outcome, reservations: Reservation[] = [], tightest: Tightest = null) => {
      await record(tx, decisionId, agent, meta, call, outcome, reservations, now);
      return respond(decisionId, outcome, tightest, now);
    };
    if (evaluated.decision === "deny") return done(evaluated.outcome);
    let verdict: { ruleId: string; reason: string } | null = evaluated.decision === "allow" ? evaluated.verdict : null;
    let grant: ApprovalRow | null = null;
    if (evaluated.decision === "approval") {
      const ftx = fullTx(tx);
      const rule = agent.rules.find((r) => r.id === evaluated.ruleId)!;
      const pending: Outcome = {
        decision: "pending",
        code: "approval_required",
        reason: reasons.pending(rule),
        ruleId: rule.id,
      };
      const claim = input.approvalId
        ? await claimGrant(
            ftx,
            agent,
            { ...input, approvalId: input.approvalId, argumentsDigest: input.argumentsDigest ?? null },
            estimate,
            now,
            asker?.id ?? null,
          )
        : null;
      if (!claim) {
        const open = await findOpenApproval(
          ftx,
          agent.id,
          { action: input.action, resource: input.resource, argumentsDigest: input.argumentsDigest ?? null },
          now,
        );
        if (!open && (await atPendingLimit(ftx, agent.id, now)))
          return done({
            decision: "deny",
            code: "approvals_pending_limit",
            reason: reasons.tooManyPending(MAX_PENDING_APPROVALS),
            ruleId: rule.id,
          });
        await record(tx, decisionId, agent, meta, call, pending, [], now);
        if (open) return { ...respond(decisionId, pending, null, now), ...pendingFields(open) };
        const approval = await openApproval(
          ftx,
          agent,
          meta,
          {
            decisionId,
            rule,
            action: input.action,
            resource: input.resource,
            estimatedMicros: estimate,
            model: input.model ?? null,
            context: input.context ?? null,
            argumentsDigest: input.argumentsDigest ?? null,
            reason: pending.reason,
          },
          now,
        );
        return { ...respond(decisionId, pending, null, now), ...pendingFields(approval) };
      }
      if (!claim.ok && claim.code === "pending") {
        // Asked again before anyone decided: the same approval, still pending.
        await record(tx, decisionId, agent, meta, call, pending, [], now);
        return { ...respond(decisionId, pending, null, now), ...pendingFields(claim.approval) };
      }
      if (!claim.ok) return done({ decision: "deny", code: claim.code, reason: claim.reason, ruleId: rule.id });
      grant = claim.approval;
      verdict = { ruleId: rule.id, reason: reasons.approved(rule, claim.approvedBy) };
    }
    const amount = estimate ?? 0n;
    const fallback = agent.deployedVersion?.fallbackModel ?? null;
    const requestedModel = input.model ?? agent.deployedVersion?.model;
    // The decision row goes in with the reservation, in its statement, as the allow it nearly always is (reserving
    // against every budget): from the reservation to the commit, the rows every call of the agent (and of its team
    // and organisation) queues on are held for the commit alone. Any other outcome rewrites it below.
    const items = budgetItems(agent, now);
    const planned: Reservation[] =
      amount > 0n ? items.map((i) => ({ budgetId: i.b.id, periodStart: i.start.toISOString() })) : [];
    const allow = combine(verdict!, requestedModel, { holds: [], reservations: [] }, { amount, fallback }).outcome;
    const alone = last && !grant && commitsWithLastStatement(tx) && settlesAlone(agent, items, amount);
    if (asRead && !alone) return null;
    const held = await reserve(
      tx,
      items,
      amount,
      Boolean(fallback),
      now,
      (when) => decisionInsert(decisionId, agent, call, allow, planned, now, when),
      alone && { lastIf: asRead },
    );
    if (!held) return null;
    const { outcome, tightest } = combine(verdict!, requestedModel, held, { amount, fallback });
    // A refused call gives back what it reserved before it hit the exhausted budget, and the grant it redeemed.
    if (outcome.decision === "deny") {
      await cancelReservations(tx, held.reservations, amount);
      if (grant) await releaseGrant(fullTx(tx), grant.id);
    }
    const reservations = outcome.decision === "deny" ? [] : held.reservations;
    if (outcome.decision !== "allow" || reservations.length !== planned.length)
      await rewriteDecision(tx, decisionId, outcome, reservations, now);
    // A redeemed grant is audited right after, and that append waits for the head: so does this one, to keep order.
    await auditDecision(tx, decisionId, agent, meta, input, outcome, grant === null);
    if (grant && outcome.decision !== "deny") await recordRedemption(fullTx(tx), agent, meta, grant, decisionId);
    return respond(decisionId, outcome, tightest, now);
  }
}

const pendingFields = (a: { id: string; expiresAt: Date }) => ({
  approvalId: a.id,
  approvalExpiresAt: a.expiresAt.toISOString(),
});

type SnapshotRow = {
  id: string;
  slug: string;
  teamId: string;
  status: string;
  statusReason: string | null;
  catalogToolsOnly: boolean;
  updatedAt: Date;
  model: string | null;
  fallbackModel: string | null;
  number: number | null;
  canaryVersion: number | null;
  rules: (Omit<LoadedAgent["rules"][number], "maxCostMicros"> & { maxCostMicros: string | null })[];
  budgets: (Omit<BudgetRow, "limitMicros" | "timeZone"> & {
    limitMicros: string;
    latest: { start: string; used: string } | null;
  })[];
  timeZone: PeriodZone | null;
};

/**
 * Load: in one statement, the agent with its deployed models, its permission rules and every live budget covering
 * it (its own, its team's, the organisation's; by id, the order locks are taken in) with the organisation's time
 * zone. Micro-dollars travel as text, so they stay exact bigints. The agent's row is locked as the decision's foreign
 * key locks it (KEY SHARE), here, before any budget row: the decision's INSERT runs at the end of the reservation's
 * statement, and its key check must not wait for an admin's change to the agent while holding budget rows.
 */
async function loadAgent(tx: SqlTx, agentId: string): Promise<LoadedAgent> {
  const agent = await readAgent(tx, Prisma.sql`a.id = ${agentId} FOR KEY SHARE OF a`);
  if (!agent) throw notFound("Agent");
  return agent;
}

/** How long a decision snapshot read with the key may stand in for the transaction's own read (see `decide`). */
const SNAPSHOT_TTL_MS = 100;

/** What authorize reads of the agent, read in the key's round trip (lib/http/route.ts `preload`), and when. */
export type DecisionSnapshot = { agent: LoadedAgent; readAt: number };

/**
 * The same read as `loadAgent`, of the agent an agent key (by its hash) belongs to, outside the transaction and
 * without a lock: taken with the key's own statement in one round trip, it saves the call the transaction's first.
 */
export const decisionSnapshot: Preload<DecisionSnapshot> = async (keyHash, sql) => {
  const readAt = performance.now(); // its age counts from before it was asked for
  // By the key's hash alone: the key's own statement says whether it is live (else this read is dropped).
  const agent = await readAgent(
    sql,
    Prisma.sql`a.id = (SELECT k."agentId" FROM agent_keys k WHERE k.hash = ${keyHash})`,
  );
  return agent && { agentId: agent.id, value: { agent, readAt } };
};

/**
 * The agent's row is as the snapshot read it: a suspension, a deployment, any other change of the row and every edit
 * of its rules (lockAgentRules) moves `updatedAt` on. A budget's limit is read as the transaction's own read reads
 * it, without a lock: a change committed while the call is decided applies from the next call, on either path.
 */
const stillAsRead = (agent: LoadedAgent) =>
  Prisma.sql`EXISTS (SELECT 1 FROM agents WHERE id = ${agent.id} AND status::text = ${agent.status}
    AND "updatedAt" = ${agent.updatedAt}::timestamp(3))`;

/** The agent with its models, rules and covering budgets where `where` holds (of `agents a`), or null. */
async function readAgent(sql: SqlClient, where: Prisma.Sql): Promise<LoadedAgent | null> {
  const [row] = await sql.$queryRaw<SnapshotRow[]>`
    SELECT a.id, a.slug, a."teamId", a.status::text AS status, a."statusReason", a."catalogToolsOnly", a."updatedAt",
      v.model, v."fallbackModel", v.number,
      (SELECT c."versionNumber" FROM canaries c WHERE c."agentId" = a.id AND c.status = 'running' LIMIT 1)
        AS "canaryVersion",
      COALESCE((SELECT json_agg(json_build_object(
          'id', r.id, 'position', r.position, 'effect', r.effect, 'action', r.action, 'resource', r.resource,
          'maxCostMicros', r."maxCostMicros"::text, 'allowedHours', r."allowedHours",
          'requiresApproval', r."requiresApproval", 'approvalTimeoutMinutes', r."approvalTimeoutMinutes",
          'toolAnnotation', r."toolAnnotation", 'classification', r.classification, 'mode', r.mode) ORDER BY r.position)
        FROM permission_rules r WHERE r."agentId" = a.id), '[]'::json) AS rules,
      COALESCE((SELECT json_agg(json_build_object(
          'id', b.id, 'scope', b.scope, 'agentId', b."agentId", 'teamId', b."teamId", 'period', b.period,
          'limitMicros', b."limitMicros"::text, 'thresholds', b.thresholds, 'hardAction', b."hardAction",
          'name', b.name, 'latest', (SELECT json_build_object('start', u."periodStart",
            'used', (u."spentMicros"::numeric + u."reservedMicros")::text) FROM budget_period_usage u
            WHERE u."budgetId" = b.id ORDER BY u."periodStart" DESC LIMIT 1)) ORDER BY b.id)
        FROM budgets b WHERE ${coversAgent(Prisma.sql`a.id`, Prisma.sql`a."teamId"`)}), '[]'::json) AS budgets,
      (SELECT ${periodZoneSql} FROM org_settings s WHERE s.id = 1) AS "timeZone"
    FROM agents a LEFT JOIN agent_versions v ON v.id = a."deployedVersionId"
    WHERE ${where}`;
  if (!row) return null;
  const timeZone = row.timeZone ?? "UTC";
  return {
    id: row.id,
    slug: row.slug,
    teamId: row.teamId,
    status: row.status,
    statusReason: row.statusReason,
    catalogToolsOnly: row.catalogToolsOnly,
    updatedAt: row.updatedAt,
    deployedVersion:
      row.model === null ? null : { number: row.number!, model: row.model, fallbackModel: row.fallbackModel },
    canaryVersion: row.canaryVersion,
    rules: row.rules.map((r) => ({ ...r, maxCostMicros: r.maxCostMicros === null ? null : BigInt(r.maxCostMicros) })),
    budgets: row.budgets.map(
      ({ latest: _, ...b }): BudgetRow => ({ ...b, limitMicros: BigInt(b.limitMicros), timeZone }),
    ),
    latest: new Map(
      row.budgets.flatMap((b) =>
        b.latest ? [[b.id, { start: Date.parse(`${b.latest.start}Z`), used: BigInt(b.latest.used) }]] : [],
      ),
    ),
  };
}

/**
 * Evaluate: an inactive agent is refused, then the tool catalog (a held or, for a limited agent, uncatalogued tool),
 * then the permission rules decide (before any budget is touched), and the agent's shadow rules are judged beside
 * them (recorded with the decision, never enforced).
 */
function evaluate(
  agent: LoadedAgent,
  input: AuthorizeInput,
  estimate: bigint | null,
  now: Date,
  { tool, classified }: { tool: ToolGate; classified: Classified },
): (
  | { decision: "deny"; outcome: Outcome }
  | { decision: "approval"; ruleId: string }
  | { decision: "allow"; verdict: Extract<PermissionVerdict, { outcome: "allow" }> }
) & { shadow: ShadowVerdict[] } {
  if (agent.status !== "active")
    return {
      decision: "deny",
      outcome: { decision: "deny", code: "agent_suspended", reason: reasons.inactive(agent) },
      shadow: [],
    };
  if (tool.refused) return { decision: "deny", outcome: { decision: "deny", ...tool.refused }, shadow: [] };
  const req = {
    action: input.action,
    resource: input.resource,
    estimatedMicros: estimate,
    at: now,
    tool: tool.hints,
    ...classified,
  };
  const verdict = evaluatePermissions(agent.rules, req);
  const shadow = shadowVerdicts(agent.rules, req, verdict);
  if (verdict.outcome === "deny" && verdict.code === "approval_required")
    return { decision: "approval", ruleId: verdict.ruleId!, shadow };
  if (verdict.outcome === "deny")
    return {
      decision: "deny",
      outcome: { decision: "deny", code: verdict.code, reason: verdict.reason, ruleId: verdict.ruleId ?? undefined },
      shadow,
    };
  return { decision: "allow", verdict, shadow };
}

/** The version the call runs: the running canary's when the agent says so, else the deployed one. */
const versionOf = (agent: LoadedAgent, input: AuthorizeInput) =>
  input.version !== undefined && input.version === agent.canaryVersion
    ? input.version
    : (agent.deployedVersion?.number ?? null);

/** Every budget covering the agent, with the start of its period now. */
const budgetItems = (agent: LoadedAgent, now: Date) =>
  agent.budgets.map((b) => ({ b, start: periodStart(b.period, now, b.timeZone) }));

/**
 * Can the reservation's statement settle the call alone (`last`), as far as the load saw: every budget's period row
 * exists, and the amount fits every budget that acts on its limit. When it cannot, the call goes the long way at once
 * (a runaway agent on an exhausted budget does not pay for a try that writes nothing); when it can, the statement
 * checks again on the locked rows.
 */
function settlesAlone(agent: LoadedAgent, items: { b: BudgetRow; start: Date }[], amount: bigint): boolean {
  return items.every(({ b, start }) => {
    const latest = agent.latest.get(b.id);
    if (latest?.start !== start.getTime()) return false;
    return b.hardAction === "notify" || !budgetOver(b.limitMicros, latest.used, 0n, amount);
  });
}

/** Would this budget, once the call's amount is reserved, switch the call to the fallback model? */
function degrades({ b, balance }: Hold, amount: bigint) {
  return b.hardAction === "degrade" && budgetOver(b.limitMicros, balance.spent, balance.reserved - amount, amount);
}

/**
 * Reserve: the amount against every covering budget, in one statement (rows locked in id order), when every
 * budget's period row exists and admits it. Otherwise (a new period, a full budget) nothing is locked: the missing
 * rows are made and expired reservations released, holding no budget lock, and the budgets are asked again, this
 * time reserving wherever they admit. Then, in id order: the first budget that refuses ends the walk, as does the
 * first degrading one when there is no fallback model (the call is refused); `reservations` lists every reservation
 * made, so a refused call gives all of them back.
 * `last`: one statement reserves against every budget and records the decision (an allow), then the transaction
 * commits; or, when that would not be an allow, it writes nothing and the answer is null (`reserveBudgets`).
 */
async function reserve(
  tx: SqlTx,
  items: { b: BudgetRow; start: Date }[],
  amount: bigint,
  hasFallback: boolean,
  now: Date,
  decision: (when?: Prisma.Sql) => Prisma.Sql,
  last: false | { lastIf?: Prisma.Sql },
): Promise<Held | null> {
  // The decision goes in with the first try, in the same statement.
  const first = await reserveBudgets(
    tx,
    items,
    amount,
    last ? { last: decision, lastIf: last.lastIf } : { onlyIfReady: true, alongside: decision() },
  );
  if (last && !first.ready) return null;
  let balances = first.balances;
  if (!first.ready) {
    // Not ready: nothing was locked or reserved.
    await ensurePeriodRows(
      tx,
      items.filter((i) => first.missing.has(i.b.id)),
    );
    await releaseExpiredReservations(tx, now);
    balances = (await reserveBudgets(tx, items, amount)).balances;
  }
  const reservations: Reservation[] =
    amount > 0n
      ? items.filter((i) => balances.has(i.b.id)).map((i) => ({ budgetId: i.b.id, periodStart: i.start.toISOString() }))
      : [];
  const holds: Hold[] = [];
  for (const { b } of items) {
    const balance = balances.get(b.id);
    if (!balance) return { holds, reservations, exhausted: b };
    const hold = { b, balance };
    holds.push(hold);
    if (!hasFallback && degrades(hold, amount)) break;
  }
  return { holds, reservations };
}

/**
 * Combine: the permission verdict and the budgets' answers into one outcome. The first degrading budget switches
 * to the fallback model (or refuses, without one); an exhausted budget refuses. `tightest` is the budget with the
 * least left, reported back to the agent.
 */
function combine(
  verdict: { ruleId: string; reason: string },
  requestedModel: string | undefined,
  held: Held,
  { amount, fallback }: { amount: bigint; fallback: string | null },
): { outcome: Outcome; tightest: Tightest } {
  let outcome: Outcome = {
    decision: "allow",
    code: "allowed",
    reason: verdict.reason,
    ruleId: verdict.ruleId,
    model: requestedModel,
  };
  let tightest: Tightest = null;
  for (const hold of held.holds) {
    const { b, balance } = hold;
    const remaining = b.limitMicros - balance.spent - balance.reserved;
    if (!tightest || remaining < tightest.remaining) tightest = { b, remaining };
    if (outcome.decision === "allow" && degrades(hold, amount)) {
      outcome = fallback
        ? {
            decision: "degrade",
            code: "budget_degraded",
            reason: reasons.degraded(b, fallback),
            ruleId: verdict.ruleId,
            budgetId: b.id,
            model: fallback,
          }
        : {
            decision: "deny",
            code: "budget_exhausted",
            reason: reasons.noFallback(b),
            ruleId: verdict.ruleId,
            budgetId: b.id,
          };
    }
  }
  if (held.exhausted) {
    const b = held.exhausted;
    outcome = {
      decision: "deny",
      code: "budget_exhausted",
      reason: reasons.exhausted(b),
      ruleId: verdict.ruleId,
      budgetId: b.id,
    };
    tightest = { b, remaining: 0n };
  }
  return { outcome, tightest };
}

/** Record: the decision row (with its live reservations), and an audit event for a denial or degradation. */
async function record(
  tx: SqlTx,
  decisionId: string,
  agent: LoadedAgent,
  meta: RequestMeta,
  call: Call,
  outcome: Outcome,
  reserved: Reservation[],
  now: Date,
): Promise<void> {
  await insertDecision(tx, decisionId, agent, call, outcome, reserved, now);
  await auditDecision(tx, decisionId, agent, meta, call.input, outcome);
}

const expiry = (reserved: Reservation[], now: Date) =>
  reserved.length ? new Date(now.getTime() + reservationTtlMs()) : null;

async function insertDecision(
  tx: SqlTx,
  decisionId: string,
  agent: LoadedAgent,
  call: Call,
  outcome: Outcome,
  reserved: Reservation[],
  now: Date,
): Promise<void> {
  await tx.$executeRaw(decisionInsert(decisionId, agent, call, outcome, reserved, now));
}

/** The decision's INSERT (raw SQL on the hot path, without the ORM's per-query work). */
function decisionInsert(
  decisionId: string,
  agent: LoadedAgent,
  { input, estimate, shadow }: Call,
  outcome: Outcome,
  reserved: Reservation[],
  now: Date,
  when?: Prisma.Sql,
): Prisma.Sql {
  const row = Prisma.sql`${decisionId}, ${agent.id}, ${input.action}, ${input.resource},
      ${outcome.decision}::"DecisionOutcome", ${outcome.code}, ${outcome.reason}, ${outcome.ruleId ?? null},
      ${outcome.budgetId ?? null}, ${outcome.model ?? null}, ${estimate}::bigint,
      ${reserved.length ? JSON.stringify(reserved) : null}::jsonb, ${expiry(reserved, now)}::timestamp(3),
      ${input.context ? JSON.stringify(input.context) : null}::jsonb,
      ${shadow.length ? JSON.stringify(shadow) : null}::jsonb, ${onBehalfOf(input)}, ${versionOf(agent, input)}::int,
      ${now}::timestamp(3)`;
  // `when`: only if that condition holds (a write that must not happen otherwise).
  return Prisma.sql`
    INSERT INTO decisions (id, "agentId", action, resource, decision, code, reason, "ruleId", "budgetId", model,
      "estimatedMicros", reservations, "reservationExpiresAt", context, shadow, "onBehalfOf", "versionNumber",
      "createdAt")
    ${when ? Prisma.sql`SELECT ${row} WHERE ${when}` : Prisma.sql`VALUES (${row})`}`;
}

/** The outcome the budgets made of a decision recorded as an allow before they were asked. */
async function rewriteDecision(tx: SqlTx, decisionId: string, outcome: Outcome, reserved: Reservation[], now: Date) {
  await tx.$executeRaw`
    UPDATE decisions SET decision = ${outcome.decision}::"DecisionOutcome", code = ${outcome.code},
      reason = ${outcome.reason}, "ruleId" = ${outcome.ruleId ?? null}, "budgetId" = ${outcome.budgetId ?? null},
      model = ${outcome.model ?? null}, reservations = ${reserved.length ? JSON.stringify(reserved) : null}::jsonb,
      "reservationExpiresAt" = ${expiry(reserved, now)}::timestamp(3)
    WHERE id = ${decisionId}`;
}

/** A denial or degradation is audited (a pending decision is audited as the approval it opens). */
async function auditDecision(
  tx: SqlTx,
  decisionId: string,
  agent: LoadedAgent,
  meta: RequestMeta,
  input: AuthorizeInput,
  outcome: Outcome,
  mayDefer = true,
): Promise<void> {
  if (outcome.decision === "deny" || outcome.decision === "degrade") {
    // Appended at once, or queued if the chain head is busy: a flood of denials never holds up governed changes.
    const write = mayDefer ? writeOrDeferAuditEvent : writeAuditEvent;
    await write(tx, { type: "agent", id: agent.id, label: agent.slug, teamId: agent.teamId }, meta, {
      action: outcome.decision === "deny" ? "decision.denied" : "decision.degraded",
      targetType: "decision",
      targetId: decisionId,
      agentId: agent.id,
      teamId: agent.teamId,
      outcome: outcome.decision === "deny" ? "denied" : "degraded",
      after: {
        action: input.action,
        resource: input.resource,
        code: outcome.code,
        ruleId: outcome.ruleId ?? null,
        budgetId: outcome.budgetId ?? null,
        estimatedCostUsd: input.estimatedCostUsd ?? null,
        model: outcome.model ?? null,
        context: input.context ?? null,
        onBehalfOf: onBehalfOf(input),
      },
      reason: outcome.reason,
    });
  }
}

/** The answer the agent gets: the outcome, and how much the tightest budget has left until it resets. */
function respond(decisionId: string, outcome: Outcome, tightest: Tightest, now: Date): AuthorizeResponse {
  return {
    decisionId,
    decision: outcome.decision,
    reason: outcome.reason,
    code: outcome.code,
    ...(outcome.ruleId ? { ruleId: outcome.ruleId } : {}),
    ...(outcome.budgetId ? { budgetId: outcome.budgetId } : {}),
    ...(outcome.model ? { model: outcome.model } : {}),
    ...(tightest
      ? {
          budget: {
            remainingUsd: microsToUsd(tightest.remaining > 0n ? tightest.remaining : 0n),
            period: tightest.b.period,
            resetsAt: periodEnd(tightest.b.period, now, tightest.b.timeZone).toISOString(),
          },
        }
      : {}),
  };
}
