import "server-only";
import { db } from "@/lib/db/client";
import { type Actor, isAdmin, readableTeamIds } from "../actor";
import { notFound } from "../errors";
import { evaluatePermissions } from "../permissions/evaluate";
import { classifier } from "../resources/catalogue";
import { maskUrl } from "../webhooks/mask-url";
import {
  changedFields,
  definitionDigest,
  definitionOf,
  neverAccepted,
  type ToolDefinition,
  toolHints,
  toolResource,
} from "./definition";

type ToolRow = Awaited<ReturnType<ReturnType<typeof db>["mcpTool"]["findMany"]>>[number];

function toolView(server: string, t: ToolRow) {
  const current = definitionOf(t);
  const changed = t.pending ? changedFields(current, t.pending as ToolDefinition) : [];
  return {
    id: t.id,
    name: t.name,
    resource: toolResource(server, t.name),
    ...current,
    status: t.status,
    pending: t.pending,
    pendingDigest: t.pending ? definitionDigest(t.pending) : null,
    changedFields: changed,
    // Held (or rejected) and never accepted: new since the first import, all of it to review.
    isNew: (t.status === "held" || t.status === "rejected") && neverAccepted(t),
  };
}
export type ToolView = ReturnType<typeof toolView>;

/**
 * A server as the actor may see it: a hosted server's URL often carries its credential (there is no header to put it
 * in), so only admins, who register and import, read it whole; others see its host.
 */
function serverView<S extends { name: string; url: string | null }>(actor: Actor, s: S & { tools: ToolRow[] }) {
  const { tools, ...server } = s;
  return {
    ...server,
    url: server.url && !isAdmin(actor) ? maskUrl(server.url) : server.url,
    tools: tools.map((t) => toolView(server.name, t)),
  };
}

/** Every registered MCP server with its tools (everyone signed in reads the catalog; admins change it). */
export async function listMcpServers(actor: Actor) {
  const servers = await db().mcpServer.findMany({
    orderBy: { name: "asc" },
    include: { tools: { orderBy: { name: "asc" } } },
  });
  return servers.map((s) => serverView(actor, s));
}

export async function getMcpServer(actor: Actor, idOrName: string) {
  const s = await db().mcpServer.findFirst({
    where: { OR: [{ name: idOrName }, ...(/^[0-9a-f-]{36}$/i.test(idOrName) ? [{ id: idOrName }] : [])] },
    include: { tools: { orderBy: { name: "asc" } } },
  });
  if (!s) throw notFound("MCP server");
  return serverView(actor, s);
}

/**
 * Calls, errors and cost per catalogued tool since `since`, from usage events (the SDK's `tool`, OTLP execute_tool
 * and MCP tools/call spans): an event counts for a tool when its tool is the tool's resource (mcp:<server>/<tool>),
 * or its bare name when no other catalogued tool has that name. A team lead counts their teams' agents only.
 */
export async function toolUsage(
  actor: Actor,
  servers: { tools: { id: string; name: string; resource: string }[] }[],
  since: Date,
) {
  const tools = servers.flatMap((s) => s.tools);
  const byName = new Map<string, number>();
  for (const t of tools) byName.set(t.name, (byName.get(t.name) ?? 0) + 1);
  const keyOf = new Map<string, string>();
  for (const t of tools) {
    keyOf.set(t.resource, t.id);
    if (byName.get(t.name) === 1) keyOf.set(t.name, t.id);
  }
  const usage = new Map<string, { calls: number; errors: number; costMicros: bigint }>();
  if (keyOf.size === 0) return usage;
  const teams = readableTeamIds(actor);
  // Usage events carry their agent's id (no relation to filter through): a team lead's are their teams' agents'.
  const agentIds = teams
    ? (await db().agent.findMany({ where: { teamId: { in: teams } }, select: { id: true } })).map((a) => a.id)
    : null;
  const rows = await db().usageEvent.groupBy({
    by: ["tool", "status"],
    where: {
      tool: { in: [...keyOf.keys()] },
      timestamp: { gte: since },
      ...(agentIds ? { agentId: { in: agentIds } } : {}),
    },
    _count: { _all: true },
    _sum: { costMicros: true },
  });
  for (const r of rows) {
    const id = keyOf.get(r.tool ?? "");
    if (!id) continue;
    const u = usage.get(id) ?? { calls: 0, errors: 0, costMicros: 0n };
    u.calls += r._count._all;
    if (r.status === "error") u.errors += r._count._all;
    u.costMicros += r._sum.costMicros ?? 0n;
    usage.set(id, u);
  }
  return usage;
}

/** Why the catalog refuses a tool, whatever the rules say. */
const REFUSED_WHY = {
  held: "changed since it was accepted: refused until reviewed",
  rejected: "an admin rejected its definition as listed now: refused",
};

export type ToolAccess = {
  resource: string;
  name: string;
  server: string;
  verdict: "allow" | "approval" | "deny" | "held" | "rejected";
  rule: number | null;
  why: string;
};

/**
 * For an agent's Permissions tab: each catalogued tool (as `tool:call` on mcp:<server>/<tool>, with its annotations)
 * through the agent's rules now — may use, asks approval, or not — and the rule that decides. Held tools are refused.
 */
export async function agentToolAccess(
  rules: Parameters<typeof evaluatePermissions>[0],
  now = new Date(),
): Promise<ToolAccess[]> {
  const [tools, classify] = await Promise.all([
    db().mcpTool.findMany({
      where: { status: { not: "removed" } },
      include: { server: { select: { name: true } } },
      orderBy: [{ server: { name: "asc" } }, { name: "asc" }],
      take: 500,
    }),
    classifier(rules),
  ]);
  return tools.map((t) => {
    const resource = toolResource(t.server.name, t.name);
    const base = { resource, name: t.name, server: t.server.name };
    if (t.status === "held" || t.status === "rejected")
      return { ...base, verdict: t.status, rule: null, why: REFUSED_WHY[t.status] };
    const v = evaluatePermissions(rules, {
      action: "tool:call",
      resource,
      at: now,
      tool: toolHints(t),
      ...classify(resource),
    });
    const rule = v.ruleId ? (rules.find((r) => r.id === v.ruleId)?.position ?? null) : null;
    const verdict = v.outcome === "allow" ? "allow" : v.code === "approval_required" ? "approval" : "deny";
    return { ...base, verdict, rule, why: v.reason };
  });
}
