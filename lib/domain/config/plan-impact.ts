import "server-only";
import type { Actor } from "../actor";
import { replayBudgetChange } from "../budgets/replay";
import type { BudgetChange } from "../budgets/replay-schemas";
import { replayRuleList } from "../permissions/replay";
import type { LiveIds } from "./live";
import type { ConfigChange, ConfigDocument } from "./schemas";

/** A replay as a plan shows it: the counts and the transitions. */
const summary = (r: {
  decisions: number;
  changed: number;
  changedUsageMicros: number;
  transitions: { from: string; to: string; calls: number; usageMicros: number }[];
}) => ({
  decisions: r.decisions,
  changed: r.changed,
  changedUsageMicros: r.changedUsageMicros,
  transitions: r.transitions,
});

/**
 * What a plan's rule and budget changes would have done to the last 7 days of recorded calls, as the console's
 * previews show it: each live agent whose rules change is replayed with its whole desired rule list, each budget
 * change as a draft of that budget (a replaced budget as its archiving and its successor). Objects without history
 * (a new agent, a new team) have nothing to replay; a replay the reader may not run (an auditor, for budgets), that
 * fails or that does not fit in the plan's 20 seconds (or past 50 agents or 20 budgets) is left out: a plan is never failed by it.
 */
export async function planImpact(actor: Actor, desired: ConfigDocument, changes: ConfigChange[], ids: LiveIds) {
  const out: ({ kind: "rules" | "budget"; key: string; op: string } & ReturnType<typeof summary>)[] = [];
  // A plan waits at most this long for its replays, and replays at most 50 agents' rules and 20 budgets (the rest are
  // left out): anyone who may plan (an auditor too) could otherwise keep the server replaying for minutes.
  const deadline = Date.now() + 20_000;
  let [agentsReplayed, budgets] = [0, 0];
  const agents = new Set(changes.filter((c) => c.kind === "rule").map((c) => c.key.slice(0, c.key.lastIndexOf("#"))));
  for (const slug of agents) {
    const live = ids.agents.get(slug);
    const rules = desired.agents?.find((a) => a.slug === slug)?.permissions;
    if (!live || !rules) continue;
    if (++agentsReplayed > 50 || Date.now() > deadline) break;
    const r = await replayRuleList(actor, live.id, rules, { deadline }).catch(() => null);
    if (r) out.push({ kind: "rules", key: slug, op: "update", ...summary(r) });
  }
  for (const c of changes.filter((x) => x.kind === "budget")) {
    const budgetId = ids.budgets.get(c.key);
    const doc = desired.budgets?.find((b) => b.name === c.key);
    const drafts: BudgetChange[] = [];
    if ((c.op === "delete" || c.op === "replace") && budgetId) drafts.push({ op: "archive", budgetId });
    if (c.op === "update" && budgetId && doc)
      drafts.push({
        op: "update",
        budgetId,
        budget: { period: doc.period, limitUsd: doc.limitUsd, hardAction: doc.hardAction },
      });
    if ((c.op === "create" || c.op === "replace") && doc) {
      const agentId = doc.agent ? ids.agents.get(doc.agent)?.id : undefined;
      const teamId = doc.team ? ids.teams.get(doc.team) : undefined;
      if ((doc.scope === "agent" && !agentId) || (doc.scope === "team" && !teamId)) continue;
      drafts.push({
        op: "create",
        budget: { ...doc, agentId: agentId ?? null, teamId: teamId ?? null },
      });
    }
    for (const change of drafts) {
      if (++budgets > 20 || Date.now() > deadline) break;
      const r = await replayBudgetChange(actor, { change }, { deadline }).catch(() => null);
      if (r) out.push({ kind: "budget", key: c.key, op: change.op, ...summary(r) });
    }
  }
  return out;
}
