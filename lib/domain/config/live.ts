import "server-only";
import type { Db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/tx";
import { ENVIRONMENTS } from "../agents/schemas";
import { requiresApproval } from "../deployments/policies";
import { conflict } from "../errors";
import { type GateFailure, gatePolicy, policyFailures } from "../evals/gates";
import { microsToUsd, microsToUsdOrNull } from "../money";
import { versionConfig } from "../versions/schemas";
import { type ConfigDocument, ConfigDocumentSchema } from "./schemas";

/** The ids behind the names a document uses, for apply. */
export type LiveIds = {
  teams: Map<string, string>;
  agents: Map<string, { id: string; ruleIds: string[] }>;
  budgets: Map<string, string>;
  webhooks: Map<string, string>;
  people: Map<string, string>;
  /**
   * By agent slug: a version waiting to go live, and its config: a deployment waiting for a second admin (four-eyes,
   * with its request), or the agent's newest version, newer than its live one, that its environment's eval gates
   * hold back (registered by a plan into such an environment, say).
   */
  waiting: Map<string, Waiting>;
};

export type Waiting = {
  versionNumber: number;
  config: ReturnType<typeof versionConfig>;
  /** The change request, when it waits for a second admin; null when it waits for its evals. */
  requestId: string | null;
  gateFailures?: GateFailure[];
};

/** In one environment, each live agent's newest version when it is newer than the live one (or none is live). */
async function heldBackCandidates(client: Tx | Db, environment: string) {
  const ids = await client.$queryRaw<{ id: string }[]>`
    SELECT v.id FROM (
      SELECT DISTINCT ON ("agentId") id, "agentId", number FROM agent_versions ORDER BY "agentId", number DESC
    ) v
    JOIN agents a ON a.id = v."agentId"
    LEFT JOIN agent_versions live ON live.id = a."deployedVersionId"
    WHERE a.status::text <> 'retired' AND a.environment::text = ${environment} AND v.number > COALESCE(live.number, 0)`;
  return ids.length ? client.agentVersion.findMany({ where: { id: { in: ids.map((r) => r.id) } } }) : [];
}

function refuseDuplicates(names: string[], what: string) {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n))
      throw conflict(
        "config_ambiguous",
        `Two ${what} are named "${n}": rename one in the console, since configuration matches ${what} by name`,
        { [what]: [n] },
      );
    seen.add(n);
  }
}

/**
 * The live state as a configuration document (every section; retired agents and archived budgets are not in it),
 * normalised by the document schema itself so that exporting and then planning shows no changes.
 */
export async function readLiveConfig(
  client: Tx | Db,
  now = new Date(),
): Promise<{ doc: ConfigDocument; ids: LiveIds }> {
  // One statement at a time: inside a transaction they share one connection.
  const teams = await client.team.findMany({ orderBy: { slug: "asc" }, select: { id: true, slug: true, name: true } });
  const agents = await client.agent.findMany({
    where: { status: { not: "retired" } },
    orderBy: { slug: "asc" },
    include: {
      team: { select: { slug: true } },
      owner: { select: { email: true } },
      deployedVersion: true,
      rules: { orderBy: { position: "asc" } },
    },
  });
  const budgets = await client.budget.findMany({
    where: { archivedAt: null, OR: [{ agentId: null }, { agent: { status: { not: "retired" } } }] },
    orderBy: { name: "asc" },
    include: { agent: { select: { slug: true } }, team: { select: { slug: true } } },
  });
  const prices = await client.modelPrice.findMany({
    where: { effectiveFrom: { lte: now } },
    orderBy: [{ provider: "asc" }, { model: "asc" }, { effectiveFrom: "desc" }],
    distinct: ["provider", "model"],
  });
  const webhooks = await client.webhookEndpoint.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, url: true },
  });
  const people = await client.user.findMany({ select: { id: true, email: true } });
  const requests = await client.changeRequest.findMany({
    where: { status: "pending", change: "deployment", agent: { status: { not: "retired" } } },
    orderBy: { createdAt: "asc" },
    select: { id: true, agent: { select: { slug: true } }, version: true },
  });
  refuseDuplicates(
    budgets.map((b) => b.name),
    "budgets",
  );
  refuseDuplicates(
    webhooks.map((w) => w.name),
    "webhooks",
  );
  const environments: Record<
    string,
    {
      requireApproval: boolean;
      requiredSuites: string[];
      maxCostPerPassedCaseUsd: number | null;
      minScores: Record<string, number>;
    }
  > = {};
  const waiting = new Map<string, Waiting>(
    requests.flatMap((r) =>
      r.agent && r.version
        ? [[r.agent.slug, { requestId: r.id, versionNumber: r.version.number, config: versionConfig(r.version) }]]
        : [],
    ),
  );
  const agentById = new Map(agents.map((a) => [a.id, a]));
  for (const env of ENVIRONMENTS) {
    const gate = await gatePolicy(client as Tx, env);
    // Agents here whose newest version is newer than their live one: those the gates hold back wait for their evals.
    for (const v of gate.requiredSuites.length ? await heldBackCandidates(client, env) : []) {
      const a = agentById.get(v.agentId);
      if (!a || waiting.has(a.slug)) continue;
      const failures = await policyFailures(client, gate, v.id);
      if (failures.length)
        waiting.set(a.slug, {
          requestId: null,
          versionNumber: v.number,
          config: versionConfig(v),
          gateFailures: failures,
        });
    }
    environments[env] = {
      requireApproval: await requiresApproval(client as Tx, env),
      requiredSuites: [...gate.requiredSuites].sort(),
      maxCostPerPassedCaseUsd: microsToUsdOrNull(gate.maxCostPerPassedCaseMicros),
      minScores: gate.minScores,
    };
  }
  const raw = {
    version: 1,
    teams: teams.map((t) => ({ slug: t.slug, name: t.name })),
    agents: agents.map((a) => ({
      slug: a.slug,
      name: a.name,
      description: a.description,
      team: a.team.slug,
      environment: a.environment,
      owner: a.owner?.email ?? null,
      catalogToolsOnly: a.catalogToolsOnly,
      ...(a.deployedVersion ? { config: versionConfig(a.deployedVersion) } : {}),
      permissions: a.rules.map((r) => ({
        effect: r.effect,
        ...(r.mode === "shadow" ? { mode: r.mode } : {}),
        action: r.action,
        resource: r.resource,
        maxCostPerCallUsd: microsToUsdOrNull(r.maxCostMicros),
        allowedHours: r.allowedHours ?? null,
        requiresApproval: r.requiresApproval,
        approvalTimeoutMinutes: r.approvalTimeoutMinutes,
        toolAnnotation: r.toolAnnotation,
        ...(r.classification ? { classification: r.classification } : {}),
        description: r.description,
      })),
    })),
    budgets: budgets.map((b) => ({
      name: b.name,
      scope: b.scope,
      ...(b.agent ? { agent: b.agent.slug } : {}),
      ...(b.scope === "team" && b.team ? { team: b.team.slug } : {}),
      period: b.period,
      limitUsd: microsToUsd(b.limitMicros),
      thresholds: b.thresholds,
      hardAction: b.hardAction,
    })),
    environments,
    modelPrices: prices.map((p) => ({
      provider: p.provider,
      model: p.model,
      inputUsdPerMTok: microsToUsd(p.inputMicrosPerMTok),
      cachedInputUsdPerMTok: microsToUsd(p.cachedInputMicrosPerMTok),
      outputUsdPerMTok: microsToUsd(p.outputMicrosPerMTok),
    })),
    webhooks: webhooks.map((w) => ({ name: w.name, url: w.url })),
  };
  const ids: LiveIds = {
    teams: new Map(teams.map((t) => [t.slug, t.id])),
    agents: new Map(agents.map((a) => [a.slug, { id: a.id, ruleIds: a.rules.map((r) => r.id) }])),
    budgets: new Map(budgets.map((b) => [b.name, b.id])),
    webhooks: new Map(webhooks.map((w) => [w.name, w.id])),
    people: new Map(people.map((p) => [p.email.toLowerCase(), p.id])),
    waiting,
  };
  // Hand-made rows (e.g. seeded) that a form would refuse still export: the schema only normalises here.
  const parsed = ConfigDocumentSchema.safeParse(raw);
  return { doc: parsed.success ? parsed.data : (raw as ConfigDocument), ids };
}
