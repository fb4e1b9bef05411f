import canonicalize from "canonicalize";
import { microsToUsd, usdToMicros } from "../money";
import { serverHmac } from "../server-hmac";
import { sameJson as same } from "../text";
import { maskUrl } from "../webhooks/mask-url";
import type { Waiting } from "./live";
import type { AgentDoc, BudgetDoc, ConfigChange, ConfigDocument, RuleDoc } from "./schemas";

/** Money as stored (whole micro-dollars), so 0.1234567 in a document is the 0.123457 it will be. */
const usd = (n: number) => microsToUsd(usdToMicros(n));

function normaliseRule(r: RuleDoc) {
  return {
    effect: r.effect,
    mode: r.mode ?? "enforce",
    action: r.action,
    resource: r.resource,
    maxCostPerCallUsd: r.maxCostPerCallUsd == null ? null : usd(r.maxCostPerCallUsd),
    allowedHours: r.allowedHours ?? null,
    requiresApproval: r.requiresApproval,
    approvalTimeoutMinutes: r.approvalTimeoutMinutes,
    toolAnnotation: r.toolAnnotation ?? null,
    classification: r.classification ?? null,
    description: r.description,
  };
}

const agentFields = (a: AgentDoc) => ({
  name: a.name,
  description: a.description,
  team: a.team,
  environment: a.environment,
  ...(a.owner === undefined ? {} : { owner: a.owner?.toLowerCase() ?? null }),
  catalogToolsOnly: a.catalogToolsOnly,
});

const budgetFields = (b: BudgetDoc) => ({
  scope: b.scope,
  agent: b.agent ?? null,
  team: b.team ?? null,
  period: b.period,
  limitUsd: usd(b.limitUsd),
  thresholds: [...new Set(b.thresholds)].sort((x, y) => x - y),
  hardAction: b.hardAction,
});

const priceFields = (p: { inputUsdPerMTok: number; cachedInputUsdPerMTok: number; outputUsdPerMTok: number }) => ({
  inputUsdPerMTok: usd(p.inputUsdPerMTok),
  cachedInputUsdPerMTok: usd(p.cachedInputUsdPerMTok),
  outputUsdPerMTok: usd(p.outputUsdPerMTok),
});

/** Field by field, the fields of `to` whose value differs in `from` (every field of `to` when there is no `from`). */
function fieldChanges(from: Record<string, unknown> | null, to: Record<string, unknown> | null) {
  const keys = to ? Object.keys(to) : Object.keys(from ?? {});
  return keys
    .filter((k) => !from || !to || !same(from[k], to[k]))
    .map((field) => ({ field, from: from?.[field] ?? null, to: to?.[field] ?? null }));
}

function change(
  kind: ConfigChange["kind"],
  key: string,
  from: Record<string, unknown> | null,
  to: Record<string, unknown> | null,
  op?: ConfigChange["op"],
): ConfigChange[] {
  const fields = fieldChanges(from, to);
  if (from && to && !fields.length) return [];
  return [{ kind, key, op: op ?? (!from ? "create" : !to ? "delete" : "update"), fields }];
}

const byKey = <T>(items: T[] | undefined, key: (t: T) => string) => new Map((items ?? []).map((t) => [key(t), t]));

function ruleChanges(slug: string, live: RuleDoc[], desired: RuleDoc[]): ConfigChange[] {
  const out: ConfigChange[] = [];
  for (let i = 0; i < Math.max(live.length, desired.length); i++) {
    const from = live[i] ? normaliseRule(live[i]) : null;
    const to = desired[i] ? normaliseRule(desired[i]) : null;
    out.push(...change("rule", `${slug}#${i + 1}`, from, to));
  }
  return out;
}

/**
 * The changes that would make the live state what the document says, in the order apply makes them: teams,
 * environments and prices first (agents and budgets refer to them), agents with their config and rules, budgets,
 * then what goes away. Only the sections the document gives are compared.
 */
export function diffConfig(
  live: ConfigDocument,
  desired: ConfigDocument,
  waiting: ReadonlyMap<string, { config: unknown }> = new Map(),
): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const liveTeams = byKey(live.teams, (t) => t.slug);
  for (const t of desired.teams ?? [])
    changes.push(
      ...change("team", t.slug, liveTeams.has(t.slug) ? { name: liveTeams.get(t.slug)?.name } : null, { name: t.name }),
    );

  for (const [env, policy] of Object.entries(desired.environments ?? {})) {
    const current = live.environments?.[env as keyof typeof live.environments];
    const to = {
      requireApproval: policy.requireApproval,
      ...(policy.requiredSuites ? { requiredSuites: [...new Set(policy.requiredSuites)].sort() } : {}),
      ...(policy.maxCostPerPassedCaseUsd !== undefined
        ? {
            maxCostPerPassedCaseUsd:
              policy.maxCostPerPassedCaseUsd === null ? null : usd(policy.maxCostPerPassedCaseUsd),
          }
        : {}),
      ...(policy.minScores ? { minScores: policy.minScores } : {}),
    };
    changes.push(
      ...change(
        "environment",
        env,
        current ?? { requireApproval: null, requiredSuites: null, maxCostPerPassedCaseUsd: null, minScores: null },
        to,
      ),
    );
  }

  const livePrices = byKey(live.modelPrices, (p) => `${p.provider}/${p.model}`);
  for (const p of desired.modelPrices ?? []) {
    const current = livePrices.get(`${p.provider}/${p.model}`);
    changes.push(
      ...change("modelPrice", `${p.provider}/${p.model}`, current ? priceFields(current) : null, priceFields(p)),
    );
  }

  const liveAgents = byKey(live.agents, (a) => a.slug);
  const desiredAgents = desired.agents ? byKey(desired.agents, (a) => a.slug) : null;
  for (const a of desired.agents ?? []) {
    const current = liveAgents.get(a.slug);
    const to = agentFields(a);
    if (!current) {
      changes.push(...change("agent", a.slug, null, { ...to, config: a.config ?? null }));
    } else {
      const from = agentFields(current);
      if (a.owner === undefined) delete (from as { owner?: unknown }).owner;
      changes.push(...change("agent", a.slug, from, to));
      // A version of this very config waiting to go live (for a second admin, or its evals) is not asked for again.
      const pending = waiting.get(a.slug)?.config;
      if (a.config && !(pending && same(pending, a.config)))
        changes.push(...change("agentConfig", a.slug, current.config ?? null, a.config));
    }
    if (a.permissions) changes.push(...ruleChanges(a.slug, current?.permissions ?? [], a.permissions));
  }

  const liveBudgets = byKey(live.budgets, (b) => b.name);
  const desiredBudgets = desired.budgets ? byKey(desired.budgets, (b) => b.name) : null;
  for (const b of desired.budgets ?? []) {
    const current = liveBudgets.get(b.name);
    const from = current ? budgetFields(current) : null;
    const to = budgetFields(b);
    // Scope and target never change on a budget: a different one is archived and the new one created.
    const moved = from && (from.scope !== to.scope || from.agent !== to.agent || from.team !== to.team);
    changes.push(...change("budget", b.name, from, to, moved ? "replace" : undefined));
  }
  if (desiredBudgets)
    for (const b of live.budgets ?? [])
      if (!desiredBudgets.has(b.name)) changes.push(...change("budget", b.name, budgetFields(b), null));

  if (desiredAgents)
    for (const a of live.agents ?? [])
      if (!desiredAgents.has(a.slug)) changes.push(...change("agent", a.slug, agentFields(a), null));

  if (desired.webhooks) {
    const liveHooks = byKey(live.webhooks, (w) => w.name);
    const wanted = byKey(desired.webhooks, (w) => w.name);
    for (const w of desired.webhooks) {
      const current = liveHooks.get(w.name);
      // The URL as an auditor's export masks it stands for the live one (their export plans no change).
      const url = current && w.url === maskUrl(current.url) ? current.url : w.url;
      // An endpoint's URL is fixed (its secret was given for it): another URL is a new endpoint with a new secret.
      const op = current && current.url !== url ? "replace" : undefined;
      changes.push(...change("webhook", w.name, current ? { url: current.url } : null, { url }, op));
    }
    for (const w of live.webhooks ?? [])
      if (!wanted.has(w.name)) changes.push(...change("webhook", w.name, { url: w.url }, null));
  }
  return changes;
}

/**
 * The desired configs already a version waiting to go live (for a second admin, or for its eval suites): shown by
 * plan, not changed again.
 */
export function waitingFor(desired: ConfigDocument, waiting: ReadonlyMap<string, Waiting>) {
  return (desired.agents ?? []).flatMap((a) => {
    const w = waiting.get(a.slug);
    if (!(a.config && w && same(w.config, a.config))) return [];
    const { requestId, versionNumber, gateFailures } = w;
    return [
      {
        key: a.slug,
        waitingFor: requestId ? ("approval" as const) : ("evals" as const),
        versionNumber,
        requestId,
        ...(requestId ? {} : { gateFailures: (gateFailures ?? []).map(({ suite, status }) => ({ suite, status })) }),
      },
    ];
  });
}

/**
 * What a plan was made from: the live state, the deployments waiting for a second admin and the document. Apply
 * recomputes it and refuses if it differs.
 */
export function planHash(
  live: ConfigDocument,
  desired: ConfigDocument,
  waiting: ReadonlyMap<string, Waiting> = new Map(),
): string {
  // Only what the plan shows as waiting: another agent's request or eval run does not make this plan stale.
  const pending = Object.fromEntries(
    waitingFor(desired, waiting).map((w) => [w.key, w.requestId ?? `evals:v${w.versionNumber}`]),
  );
  // Keyed (NEXTAUTH_SECRET, shared by every instance): the live state holds webhook URLs an auditor sees masked, and
  // a plain hash would let them test guesses of a URL's secret against it offline.
  return serverHmac("config-plan", canonicalize({ live, desired, pending }) ?? "").digest("hex");
}

export function summarise(changes: ConfigChange[]) {
  const count = (ops: string[]) => changes.filter((c) => ops.includes(c.op)).length;
  return { create: count(["create"]), update: count(["update", "replace"]), delete: count(["delete"]) };
}
