import "server-only";
import canonicalize from "canonicalize";
import { ZodError } from "zod";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { retireAgent } from "../agents/retire-agent";
import { ENVIRONMENTS } from "../agents/schemas";
import { updateAgent } from "../agents/update-agent";
import { writeAuditEvent } from "../audit/write-audit-event";
import { archiveBudget } from "../budgets/archive-budget";
import { createBudget } from "../budgets/create-budget";
import { updateBudget } from "../budgets/update-budget";
import { deployVersion } from "../deployments/deploy-version";
import { setEnvironmentPolicy, setRequiredSuites } from "../deployments/policies";
import { conflict, DomainError, fieldErrorsUnder, invalid } from "../errors";
import { type GateFailure, gateFailures, gatePolicy } from "../evals/gates";
import { lockEnvironmentPolicy } from "../locks";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { deletePermissionRule } from "../permissions/delete-permission-rule";
import { updatePermissionRule } from "../permissions/update-permission-rule";
import { setModelPrice } from "../pricing/set-model-price";
import { createTeam } from "../teams/create-team";
import { renameTeam } from "../teams/rename-team";
import { requireFreshProof, tokensStillIssue } from "../users/fresh-proof";
import { createAgentVersion } from "../versions/create-agent-version";
import { versionConfig } from "../versions/schemas";
import { insertWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../webhooks/delete-webhook-endpoint";
import { diffConfig, planHash, summarise } from "./diff";
import { parseConfigDocument } from "./document";
import { type LiveIds, readLiveConfig } from "./live";
import { checkReferences } from "./plan-config";
import { type AgentDoc, ConfigApplyInputSchema, type ConfigChange, type ConfigDocument } from "./schemas";

/** One apply holds the audit chain for its whole transaction: a bounded one. */
export const MAX_CHANGES = 2000;

/** Applies are serialised: two at once would each plan against a state the other is changing. */
const APPLY_LOCK = 0x61637063; // "acpc"

type Pending = { key: string; requestId: string };
type WaitingForEvals = { key: string; versionNumber: number; gateFailures: { suite: string; status: string }[] };
const brief = ({ suite, status }: GateFailure) => ({ suite, status });
const pendingOf = (key: string, r: unknown): Pending[] => {
  const p = (r as { pendingChange?: { requestId: string } }).pendingChange ?? r;
  const { status, requestId } = p as { status?: string; requestId?: string };
  return status === "pending_approval" && requestId ? [{ key, requestId }] : [];
};

const need = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw conflict("plan_stale", `${what} is gone: plan again`);
  return v;
};

/** The deployed form of an agent's config: an identical existing version, or a new one. */
async function versionFor(tx: Tx, actor: Actor, meta: RequestMeta, agentId: string, doc: AgentDoc, note: string) {
  const config = doc.config as NonNullable<AgentDoc["config"]>;
  const versions = await tx.agentVersion.findMany({ where: { agentId }, orderBy: { number: "desc" } });
  const same = versions.find((v) => canonicalize(versionConfig(v)) === canonicalize(versionConfig(config)));
  return same ?? (await createAgentVersion(actor, meta, agentId, { ...config, note }));
}

/**
 * Applies a plan: recomputes it inside one transaction, refuses (409 plan_stale) if the live state or the document
 * moved since it was made, then makes each change through the console's own command (its checks, its audit event,
 * its four-eyes: a deployment to a four-eyes environment becomes a pending request) and records `config.applied`
 * naming the plan. Any change that fails rolls back every change.
 */
export async function applyConfig(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = ConfigApplyInputSchema.parse(raw);
  const desired = parseConfigDocument(input.document);
  // Webhook endpoints outlast the session that adds them: from a console session, a document declaring any asks for
  // fresh proof, as adding one in Settings does.
  if (desired.webhooks?.length)
    await requireFreshProof(actor, meta, input.currentPassword, "apply a configuration with webhooks");
  return inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPLY_LOCK}::bigint)`;
    // The token policy's share lock before any audit event takes the chain's head (the settings take theirs first).
    if (desired.webhooks?.length) await tokensStillIssue(tx, actor, "apply a configuration with webhooks");
    // Every environment's policy lock now, in one order, before any audit event takes the chain's head: a single
    // environment's change takes its lock first too, so the two cannot wait on each other.
    for (const env of ENVIRONMENTS) await lockEnvironmentPolicy(tx, env);
    const { doc: live, ids } = await readLiveConfig(tx);
    const hash = planHash(live, desired, ids.waiting);
    if (hash !== input.planHash)
      throw conflict(
        "plan_stale",
        "The live configuration (or the document) changed since this plan was made: plan again and review it",
      );
    checkReferences(live, desired, ids);
    const changes = diffConfig(live, desired, ids.waiting);
    if (changes.length > MAX_CHANGES)
      throw invalid(`This plan makes ${changes.length} changes; apply at most ${MAX_CHANGES} at once`, {
        document: [`split it: apply some sections first (a section left out is not managed)`],
      });
    const pending: Pending[] = [];
    const waitingForEvals: WaitingForEvals[] = [];
    const webhookSecrets: { name: string; secret: string }[] = [];
    const note = `Configuration plan ${hash.slice(0, 12)}`;
    for (const c of changes) {
      try {
        await applyChange(tx, actor, meta, { change: c, desired, ids, note, pending, waitingForEvals, webhookSecrets });
      } catch (err) {
        throw inChange(c, err);
      }
    }
    if (!changes.length)
      return { planHash: hash, applied: 0, auditPosition: null, pending, waitingForEvals, webhookSecrets };
    const event = await writeAuditEvent(tx, actor, meta, {
      action: "config.applied",
      targetType: "config_plan",
      targetId: hash,
      after: {
        planHash: hash,
        summary: summarise(changes),
        changes: changes.map((c) => `${c.op} ${c.kind} ${c.key}`),
        pending,
        ...(waitingForEvals.length ? { waitingForEvals } : {}),
      },
    });
    return {
      planHash: hash,
      applied: changes.length,
      auditPosition: Number(event.position),
      pending,
      waitingForEvals,
      webhookSecrets,
    };
  });
}

/** A command's refusal, saying which change of the plan it was. */
function inChange(c: ConfigChange, err: unknown): unknown {
  const where = `${c.op} ${c.kind} ${c.key}`;
  if (err instanceof ZodError)
    return new DomainError("validation", "validation_failed", `${where}: refused`, fieldErrorsUnder(c.key, err));
  if (err instanceof DomainError)
    return new DomainError(err.kind as never, err.code, `${where}: ${err.message}`, err.details);
  return err;
}

type Ctx = {
  change: ConfigChange;
  desired: ConfigDocument;
  ids: LiveIds;
  note: string;
  pending: Pending[];
  waitingForEvals: WaitingForEvals[];
  webhookSecrets: { name: string; secret: string }[];
};

async function applyChange(tx: Tx, actor: Actor, meta: RequestMeta, ctx: Ctx) {
  const { change: c, desired, ids, note } = ctx;
  const team = (slug: string) => need(ids.teams.get(slug), `Team ${slug}`);
  const person = (email: string | null | undefined) =>
    email == null ? email : need(ids.people.get(email.toLowerCase()), `Person ${email}`);
  const agentDoc = (slug: string) =>
    need(
      desired.agents?.find((a) => a.slug === slug),
      `Agent ${slug}`,
    );
  const agentId = (slug: string) => need(ids.agents.get(slug), `Agent ${slug}`).id;
  const changed = (field: string) => c.fields.some((f) => f.field === field);
  const pend = (r: unknown) => ctx.pending.push(...pendingOf(c.key, r));

  switch (c.kind) {
    case "team": {
      const doc = need(
        desired.teams?.find((t) => t.slug === c.key),
        `Team ${c.key}`,
      );
      if (c.op === "create") ids.teams.set(doc.slug, (await createTeam(actor, meta, doc)).id);
      else await renameTeam(actor, meta, team(c.key), { name: doc.name });
      return;
    }
    case "environment": {
      const env = c.key as "dev" | "staging" | "prod";
      const doc = need(desired.environments?.[env], `Environment ${env}`);
      // Gates first: turning four-eyes off may wait for a second admin, adding suites never does.
      if (
        (changed("requiredSuites") && doc.requiredSuites) ||
        changed("maxCostPerPassedCaseUsd") ||
        (changed("minScores") && doc.minScores)
      )
        pend(
          await setRequiredSuites(actor, meta, {
            environment: env,
            suites: doc.requiredSuites ?? (await gatePolicy(tx, env)).requiredSuites,
            maxCostPerPassedCaseUsd: doc.maxCostPerPassedCaseUsd,
            minScores: doc.minScores,
            reason: note,
          }),
        );
      if (changed("requireApproval"))
        pend(
          await setEnvironmentPolicy(actor, meta, {
            environment: env,
            requireApproval: doc.requireApproval,
            reason: note,
          }),
        );
      return;
    }
    case "modelPrice": {
      const doc = need(
        desired.modelPrices?.find((p) => `${p.provider}/${p.model}` === c.key),
        `Price ${c.key}`,
      );
      await setModelPrice(actor, meta, doc);
      return;
    }
    case "agent": {
      if (c.op === "delete") {
        await retireAgent(actor, meta, agentId(c.key), { reason: `Not in the configuration (${note})` });
        return;
      }
      const doc = agentDoc(c.key);
      if (c.op === "create") {
        const registered = await registerAgent(actor, meta, {
          slug: doc.slug,
          name: doc.name,
          description: doc.description,
          teamId: team(doc.team),
          environment: doc.environment,
          ownerId: person(doc.owner),
          config: doc.config,
        });
        ids.agents.set(doc.slug, { id: registered.id, ruleIds: [] });
        pend(registered);
        if ("gateFailures" in registered && registered.gateFailures.length)
          ctx.waitingForEvals.push({
            key: doc.slug,
            versionNumber: 1,
            gateFailures: registered.gateFailures.map(brief),
          });
        // Registration makes the person registering the owner when none is named; `owner: null` means none.
        const rest = {
          ...(doc.catalogToolsOnly ? { catalogToolsOnly: true } : {}),
          ...(doc.owner === null && registered.ownerId ? { ownerId: null } : {}),
        };
        if (Object.keys(rest).length) await updateAgent(actor, meta, registered.id, rest);
        return;
      }
      const patch: Record<string, unknown> = {};
      for (const { field } of c.fields) {
        if (field === "team") patch.teamId = team(doc.team);
        else if (field === "owner") patch.ownerId = person(doc.owner) ?? null;
        else patch[field] = doc[field as keyof AgentDoc];
      }
      pend(await updateAgent(actor, meta, agentId(c.key), patch));
      return;
    }
    case "agentConfig": {
      const id = agentId(c.key);
      const version = await versionFor(tx, actor, meta, id, agentDoc(c.key), note);
      // A version its environment's eval gates hold back (as this document leaves them: gates are applied first)
      // waits for its evals, as a new agent's version 1 does; deploying it would refuse and roll back the whole apply.
      const agent = await tx.agent.findUniqueOrThrow({ where: { id }, select: { environment: true } });
      const failures = await gateFailures(tx, agent.environment, version.id);
      if (failures.length) {
        ctx.waitingForEvals.push({ key: c.key, versionNumber: version.number, gateFailures: failures.map(brief) });
        return;
      }
      pend(await deployVersion(actor, meta, id, { versionNumber: version.number, reason: note }));
      return;
    }
    case "rule": {
      const [slug, at] = c.key.split("#");
      const live = need(ids.agents.get(slug), `Agent ${slug}`);
      const position = Number(at);
      const doc = agentDoc(slug).permissions?.[position - 1];
      // A document's rule without a mode is enforced (the plan compares it so).
      const rule = doc && { ...doc, mode: doc.mode ?? "enforce" };
      // No replay per rule here: the apply is one transaction, and the plan is what was reviewed.
      const opts = { impact: false };
      if (c.op === "create") await addPermissionRule(actor, meta, live.id, need(rule, `Rule ${c.key}`), opts);
      else if (c.op === "update")
        await updatePermissionRule(actor, meta, live.id, need(live.ruleIds[position - 1], `Rule ${c.key}`), rule, opts);
      else await deletePermissionRule(actor, meta, live.id, need(live.ruleIds[position - 1], `Rule ${c.key}`), opts);
      return;
    }
    case "budget": {
      const id = ids.budgets.get(c.key);
      if (c.op === "delete" || c.op === "replace")
        await archiveBudget(actor, meta, need(id, `Budget ${c.key}`), { reason: note }, { impact: false });
      if (c.op === "delete") return;
      const doc = need(
        desired.budgets?.find((b) => b.name === c.key),
        `Budget ${c.key}`,
      );
      const fields = {
        period: doc.period,
        limitUsd: doc.limitUsd,
        thresholds: doc.thresholds,
        hardAction: doc.hardAction,
      };
      if (c.op === "update") await updateBudget(actor, meta, need(id, `Budget ${c.key}`), fields, { impact: false });
      else
        await createBudget(
          actor,
          meta,
          {
            name: doc.name,
            scope: doc.scope,
            agentId: doc.agent ? agentId(doc.agent) : null,
            teamId: doc.team ? team(doc.team) : null,
            ...fields,
          },
          { impact: false },
        );
      return;
    }
    case "webhook": {
      const id = ids.webhooks.get(c.key);
      if (c.op === "delete" || c.op === "replace")
        await deleteWebhookEndpoint(actor, meta, need(id, `Webhook ${c.key}`));
      if (c.op === "delete") return;
      const doc = need(
        desired.webhooks?.find((w) => w.name === c.key),
        `Webhook ${c.key}`,
      );
      const created = await insertWebhookEndpoint(actor, meta, doc);
      ctx.webhookSecrets.push({ name: doc.name, secret: created.secret });
      return;
    }
  }
}
