import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "../actor";
import { notFound } from "../errors";
import { changedFields, DEFINITION_FIELDS, type ToolDefinition, toolResource } from "./definition";

type ToolRow = Awaited<ReturnType<ReturnType<typeof db>["mcpTool"]["findMany"]>>[number];

function toolView(server: string, t: ToolRow) {
  const current = Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, t[f]])) as ToolDefinition;
  return {
    id: t.id,
    name: t.name,
    resource: toolResource(server, t.name),
    ...current,
    status: t.status,
    pending: t.pending,
    changedFields: t.pending ? changedFields(current, t.pending as ToolDefinition) : [],
  };
}
export type ToolView = ReturnType<typeof toolView>;

/** Every registered MCP server with its tools (everyone signed in reads the catalog; admins change it). */
export async function listMcpServers(_actor: Actor) {
  const servers = await db().mcpServer.findMany({
    orderBy: { name: "asc" },
    include: { tools: { orderBy: { name: "asc" } } },
  });
  return servers.map((s) => ({ ...s, tools: s.tools.map((t) => toolView(s.name, t)) }));
}

export async function getMcpServer(_actor: Actor, idOrName: string) {
  const s = await db().mcpServer.findFirst({
    where: { OR: [{ name: idOrName }, ...(/^[0-9a-f-]{36}$/i.test(idOrName) ? [{ id: idOrName }] : [])] },
    include: { tools: { orderBy: { name: "asc" } } },
  });
  if (!s) throw notFound("MCP server");
  return { ...s, tools: s.tools.map((t) => toolView(s.name, t)) };
}
