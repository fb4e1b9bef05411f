import "server-only";
import { db } from "@/lib/db/client";
import type { AuditEventLabels } from "./schemas";
import type { AuditEventView } from "./view";

type LabelledEvent = Pick<
  AuditEventView,
  "position" | "actorType" | "actorId" | "actorLabel" | "action" | "targetType" | "targetId" | "before" | "after"
>;
type PersonRef = { id: string; label: string };

export const shortId = (id: string) => `…${id.slice(-8)}`;

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
/** A string member of a stored before/after snapshot (written by the server, still bounded before it is shown). */
const text = (v: unknown): string | null => (typeof v === "string" && v.length > 0 && v.length <= 300 ? v : null);
const unique = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];

const CHANGE_REQUEST_TARGETS = new Set(["deployment_request", "change_request"]);

/**
 * Labels for a page of events, keyed by position: one query per kind of object for the whole page, never one per
 * row (people in a second round, once the deployments and requests have named them). Objects that no longer exist
 * fall back to what the event's own snapshot says (permission rules) or to the id's end. Labels carry names only,
 * never a secret (no key or token hash, no webhook URL, which often embeds one).
 *
 * Callers check that the actor may read the audit trail first (`queries.ts`).
 */
export async function resolveAuditLabels(events: LabelledEvent[]): Promise<Record<string, AuditEventLabels>> {
  const ids = (type: string) => unique(events.filter((e) => e.targetType === type).map((e) => e.targetId));
  const deploymentIds = unique(
    events.filter((e) => e.action.startsWith("deployment.")).map((e) => text(record(e.after).deploymentId)),
  );
  const requestIds = unique([
    ...ids("deployment_request"),
    ...ids("change_request"),
    ...events.map((e) => text(record(e.after).requestId)),
  ]);
  const find = <T>(list: string[], query: (ids: string[]) => Promise<T[]>) =>
    list.length ? query(list) : Promise.resolve([] as T[]);
  const where = (list: string[]) => ({ where: { id: { in: list } } });

  const [
    agents,
    teams,
    budgets,
    versions,
    keys,
    rules,
    requests,
    deployments,
    tokens,
    webhooks,
    sinks,
    prices,
    resources,
    outcomeTypes,
    servers,
    tools,
  ] = await Promise.all([
    find(ids("agent"), (l) => db().agent.findMany({ ...where(l), select: { id: true, slug: true, name: true } })),
    find(ids("team"), (l) => db().team.findMany({ ...where(l), select: { id: true, name: true } })),
    find(ids("budget"), (l) =>
      db().budget.findMany({
        ...where(l),
        select: {
          id: true,
          name: true,
          scope: true,
          agent: { select: { slug: true } },
          team: { select: { name: true } },
        },
      }),
    ),
    find(ids("agent_version"), (l) =>
      db().agentVersion.findMany({
        ...where(l),
        select: { id: true, number: true, agent: { select: { slug: true } } },
      }),
    ),
    find(ids("agent_key"), (l) =>
      db().agentKey.findMany({ ...where(l), select: { id: true, name: true, agent: { select: { slug: true } } } }),
    ),
    find(ids("permission_rule"), (l) =>
      db().permissionRule.findMany({
        ...where(l),
        select: {
          id: true,
          position: true,
          effect: true,
          action: true,
          resource: true,
          agent: { select: { slug: true } },
        },
      }),
    ),
    find(requestIds, (l) =>
      db().changeRequest.findMany({
        ...where(l),
        select: {
          id: true,
          change: true,
          kind: true,
          environment: true,
          payload: true,
          requestedById: true,
          decidedById: true,
          status: true,
          deploymentId: true,
          agent: { select: { slug: true } },
          version: { select: { number: true } },
          user: { select: { email: true } },
        },
      }),
    ),
    find(deploymentIds, (l) =>
      db().deployment.findMany({ ...where(l), select: { id: true, deployedById: true, approvedById: true } }),
    ),
    find(ids("personal_access_token"), (l) =>
      db().personalAccessToken.findMany({
        ...where(l),
        select: { id: true, name: true, user: { select: { email: true } } },
      }),
    ),
    find(ids("webhook_endpoint"), (l) =>
      db().webhookEndpoint.findMany({ ...where(l), select: { id: true, name: true } }),
    ),
    find(ids("audit_sink"), (l) => db().auditSink.findMany({ ...where(l), select: { id: true, name: true } })),
    find(ids("model_price"), (l) =>
      db().modelPrice.findMany({
        ...where(l),
        select: { id: true, provider: true, model: true, effectiveFrom: true },
      }),
    ),
    find(ids("resource"), (l) => db().resource.findMany({ ...where(l), select: { id: true, name: true } })),
    find(ids("outcome_type"), (l) => db().outcomeType.findMany({ ...where(l), select: { id: true, name: true } })),
    find(ids("mcp_server"), (l) => db().mcpServer.findMany({ ...where(l), select: { id: true, name: true } })),
    find(ids("mcp_tool"), (l) =>
      db().mcpTool.findMany({ ...where(l), select: { id: true, name: true, server: { select: { name: true } } } }),
    ),
  ]);

  const requestById = new Map(requests.map((r) => [r.id, r]));
  const deploymentById = new Map(deployments.map((d) => [d.id, d]));

  /** Who asked and who approved, as user ids, for the events that went through four-eyes. */
  const fourEyes = (e: LabelledEvent): { requestedById: string | null; approvedById: string | null } => {
    const after = record(e.after);
    const none = { requestedById: null, approvedById: null };
    const deploymentId = e.action.startsWith("deployment.") ? text(after.deploymentId) : null;
    if (deploymentId) {
      // A deployment made by an approval: its row records the requester as the deployer, and the approver.
      const deployment = deploymentById.get(deploymentId);
      const approvedById = text(after.approvedById) ?? deployment?.approvedById ?? null;
      if (!approvedById) return none;
      return { requestedById: deployment?.deployedById ?? null, approvedById };
    }
    if (CHANGE_REQUEST_TARGETS.has(e.targetType) && e.targetId) {
      const request = requestById.get(e.targetId);
      if (e.action.endsWith(".approved"))
        return { requestedById: request?.requestedById ?? null, approvedById: e.actorId };
      if (e.action.endsWith(".rejected")) return { requestedById: request?.requestedById ?? null, approvedById: null };
      return none;
    }
    // A change applied by an approval (environment policy, environment move, admin role): the approver acted.
    const requestedById =
      text(after.requestedById) ?? requestById.get(text(after.requestId) ?? "")?.requestedById ?? null;
    return requestedById ? { requestedById, approvedById: e.actorId } : none;
  };
  const pairs = new Map(events.map((e) => [e.position, fourEyes(e)]));

  const userIds = unique([
    ...ids("user"),
    ...events.filter((e) => e.actorType === "user").map((e) => e.actorId),
    ...[...pairs.values()].flatMap((p) => [p.requestedById, p.approvedById]),
  ]);
  const users = await find(userIds, (l) =>
    db().user.findMany({ ...where(l), select: { id: true, name: true, email: true } }),
  );
  const userById = new Map(users.map((u) => [u.id, u]));
  const person = (id: string | null): PersonRef | null =>
    id ? { id, label: userById.get(id)?.name ?? shortId(id) } : null;

  const labels = new Map<string, string>();
  const put = (type: string, id: string, label: string) => labels.set(`${type}:${id}`, label);
  for (const a of agents) put("agent", a.id, `${a.name} (${a.slug})`);
  for (const t of teams) put("team", t.id, t.name);
  for (const u of users) put("user", u.id, `${u.name} (${u.email})`);
  for (const b of budgets) {
    const scope =
      b.scope === "agent" ? `agent ${b.agent?.slug}` : b.scope === "team" ? `team ${b.team?.name}` : "organisation";
    put("budget", b.id, `${b.name} (${scope})`);
  }
  for (const v of versions) put("agent_version", v.id, `${v.agent.slug} v${v.number}`);
  for (const k of keys) put("agent_key", k.id, `${k.agent.slug} · ${k.name}`);
  for (const r of rules)
    put("permission_rule", r.id, `rule #${r.position}: ${r.effect} ${r.action} ${r.resource} (${r.agent.slug})`);
  for (const r of requests) {
    const label =
      r.change === "deployment"
        ? r.kind === "rollback"
          ? `rollback ${r.agent?.slug} to v${r.version?.number}`
          : `deploy ${r.agent?.slug} v${r.version?.number}`
        : r.change === "environment_policy"
          ? `${r.environment} policy change`
          : r.change === "agent_environment"
            ? `move ${r.agent?.slug} to ${text(record(r.payload).environment) ?? "another environment"}`
            : r.change === "canary"
              ? `canary ${r.agent?.slug} v${r.version?.number}`
              : r.change === "retention"
                ? "shorten retention"
                : r.change === "audit_sink"
                  ? `stop SIEM sink ${text(record(r.payload).name) ?? ""}`.trim()
                  : r.change === "token_policy"
                    ? "let tokens issue credentials"
                    : `make ${r.user?.email} an admin`;
    put(r.change === "deployment" ? "deployment_request" : "change_request", r.id, label);
  }
  for (const t of tokens) put("personal_access_token", t.id, `${t.user.email} · ${t.name}`);
  for (const w of webhooks) put("webhook_endpoint", w.id, w.name);
  for (const s of sinks) put("audit_sink", s.id, s.name);
  for (const p of prices)
    put("model_price", p.id, `${p.provider}/${p.model} from ${p.effectiveFrom.toISOString().slice(0, 10)}`);
  for (const r of resources) put("resource", r.id, r.name);
  for (const o of outcomeTypes) put("outcome_type", o.id, o.name);
  for (const m of servers) put("mcp_server", m.id, m.name);
  for (const t of tools) put("mcp_tool", t.id, `mcp:${t.server.name}/${t.name}`);

  /** A permission rule that is gone is still described by the snapshot its own events carry. */
  const deletedRule = (e: LabelledEvent) => {
    const snapshot = [record(e.before), record(e.after)].find((s) => text(s.action) && text(s.resource));
    if (!snapshot) return null;
    const effect = text(snapshot.effect);
    return `deleted rule: ${effect ? `${effect} ` : ""}${snapshot.action} ${snapshot.resource}`;
  };
  const target = (e: LabelledEvent): string | null => {
    if (!e.targetId) return null;
    const found = labels.get(`${e.targetType}:${e.targetId}`);
    if (found) return found;
    if (e.targetType === "permission_rule") return deletedRule(e) ?? shortId(e.targetId);
    if (e.targetType === "approval_request") {
      const s = record(e.after);
      if (text(s.action) && text(s.resource)) return `approval for ${s.action} on ${s.resource}`;
    }
    // Ids that are names already (an environment, a rate-limit key) are shown as they are.
    return /^[0-9a-f-]{32,36}$/i.test(e.targetId) ? shortId(e.targetId) : e.targetId;
  };
  const actor = (e: LabelledEvent) => {
    const user = e.actorType === "user" && e.actorId ? userById.get(e.actorId) : null;
    return user ? `${user.name} (${user.email})` : e.actorLabel;
  };

  return Object.fromEntries(
    events.map((e) => {
      const pair = pairs.get(e.position)!;
      return [
        e.position,
        {
          actor: actor(e),
          target: target(e),
          requestedBy: person(pair.requestedById),
          approvedBy: person(pair.approvedById),
        },
      ];
    }),
  );
}
