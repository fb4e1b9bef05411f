import "server-only";
import canonicalize from "canonicalize";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid, notFound } from "../errors";
import { findLoneSurrogate, findNul, jsonDepth, MAX_JSON_DEPTH } from "../text";
import { maskUrl } from "../webhooks/mask-url";
import { changedFields, neverAccepted, type ToolDefinition, toDefinition } from "./definition";
import { listToolsOverMcp } from "./mcp-client";
import { ImportToolsInputSchema, ToolsListSchema } from "./schemas";

const storedDefinition = (t: ToolDefinition) => ({ ...t, inputSchema: t.inputSchema as object });

/**
 * Imports a server's tools: uploaded as a `tools/list` result, or listed over MCP from its URL. On the first import
 * the tools join the catalog in force; tools that appear later join it held, for review. A tool whose name, description, input schema or annotations changed since it was accepted is held (its
 * calls refused) with the new definition waiting for an admin — a changed description is how tool poisoning gets
 * in; tools the server no longer lists are marked removed. One audit event carries what changed.
 */
export async function importMcpTools(actor: Actor, meta: RequestMeta, serverId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const input = ImportToolsInputSchema.parse(raw ?? {});
  const server = await db().mcpServer.findUnique({ where: { id: serverId } });
  if (!server) throw notFound("MCP server");
  let listed = input.tools;
  if (!listed) {
    if (!server.url) throw invalid("This server has no URL: upload its tools/list result instead");
    const tools = await listToolsOverMcp(server.url);
    const problem = unstorable(tools);
    if (problem) throw invalid(`${server.url} listed tools the catalog cannot keep: ${problem}`, { tools: [problem] });
    const parsed = ToolsListSchema.safeParse({ tools });
    if (!parsed.success)
      throw invalid(`${server.url} listed tools the catalog cannot keep: ${parsed.error.issues[0]?.message}`, {
        tools: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      });
    listed = parsed.data.tools;
  }
  const incoming = new Map(listed.map((t) => [t.name, toDefinition(t)]));
  return inTransaction(async (tx) => {
    // Read again under the lock: a concurrent first import may have finished since (its tools then trusted, ours held).
    const [locked] = await tx.$queryRaw<{ imported: boolean }[]>`
      SELECT "lastImportedAt" IS NOT NULL AS imported FROM mcp_servers WHERE id = ${serverId} FOR UPDATE`;
    if (!locked) throw notFound("MCP server");
    const existing = await tx.mcpTool.findMany({ where: { serverId } });
    const summary = {
      server: server.name,
      added: [] as string[],
      changed: [] as { name: string; fields: string[] }[],
      removed: [] as string[],
      restored: [] as { name: string; from: string; to: string }[],
      unchanged: 0,
    };
    for (const [name, def] of incoming) {
      const current = existing.find((t) => t.name === name);
      if (!current) {
        // The first import is the admin's choice of what to trust; a tool that appears later is held for review
        // (a server could add a destructive tool that calls itself read-only).
        const later = locked.imported;
        await tx.mcpTool.create({
          data: {
            serverId,
            name,
            ...storedDefinition(def),
            ...(later ? { status: "held" as const, pending: storedDefinition(def) } : {}),
          },
        });
        summary.added.push(name);
        continue;
      }
      const fields = changedFields(current as unknown as ToolDefinition, def);
      if (fields.length === 0) {
        // As accepted: a tool that was held or removed and is back to its accepted definition is trusted again. A tool
        // that was never accepted (added held: its waiting definition is the stored one) stays held until an admin is.
        const to = neverAccepted(current)
          ? current.status === "removed"
            ? "held"
            : null
          : current.status !== "trusted"
            ? "trusted"
            : null;
        if (to) {
          await tx.mcpTool.update({
            where: { id: current.id },
            data: { status: to, ...(to === "trusted" ? { pending: Prisma.DbNull } : {}) },
          });
          // Named in the audit event: a held, rejected or removed tool allowed again is a change someone may look for.
          summary.restored.push({ name, from: current.status, to });
        } else summary.unchanged++;
        continue;
      }
      // The change already waiting, or already rejected, stays as it is; any other change is held for review. A tool
      // never accepted has no accepted definition to keep: the new one is stored too, so it stays unreviewed (had the
      // first stayed stored, the server listing it again would have read as going back to an accepted definition).
      const samePending = current.pending !== null && canonicalize(current.pending) === canonicalize(def);
      if (!((current.status === "held" || current.status === "rejected") && samePending))
        await tx.mcpTool.update({
          where: { id: current.id },
          data: {
            status: "held",
            pending: storedDefinition(def),
            ...(neverAccepted(current) ? storedDefinition(def) : {}),
          },
        });
      summary.changed.push({ name, fields });
    }
    for (const t of existing)
      if (!incoming.has(t.name) && t.status !== "removed") {
        // A tool never accepted keeps its waiting definition: should it come back, it is still unreviewed.
        await tx.mcpTool.update({
          where: { id: t.id },
          data: { status: "removed", ...(neverAccepted(t) ? {} : { pending: Prisma.DbNull }) },
        });
        summary.removed.push(t.name);
      }
    await tx.mcpServer.update({ where: { id: serverId }, data: { lastImportedAt: new Date() } });
    await writeAuditEvent(tx, actor, meta, {
      action: "mcp.tools_imported",
      targetType: "mcp_server",
      targetId: serverId,
      after: { ...summary, source: input.tools || !server.url ? "upload" : maskUrl(server.url) },
    });
    return summary;
  });
}

/** Why what a server listed cannot be stored as the API would store a body, or null: too deep, NUL, lone surrogate. */
function unstorable(value: unknown): string | null {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "";
  } catch {
    return `it nests deeper than ${MAX_JSON_DEPTH} levels`;
  }
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return `it nests deeper than ${MAX_JSON_DEPTH} levels`;
  const at = findNul(value) ?? findLoneSurrogate(value);
  return at ? `${at} holds a NUL character or an unpaired surrogate` : null;
}
