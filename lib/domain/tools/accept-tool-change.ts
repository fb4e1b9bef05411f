import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { changedFields, DEFINITION_FIELDS, type ToolDefinition } from "./definition";

const definitionOf = (t: Record<string, unknown>) =>
  Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, t[f]])) as ToolDefinition;

/** An admin accepts a held tool's changed definition: it is in force from now (audited with before and after). */
export async function acceptToolChange(actor: Actor, meta: RequestMeta, toolId: string) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM mcp_tools WHERE id = ${toolId} FOR UPDATE`;
    const tool = await tx.mcpTool.findUnique({
      where: { id: toolId },
      include: { server: { select: { name: true } } },
    });
    if (!tool) throw notFound("Tool");
    if (tool.status !== "held" || !tool.pending) throw conflict("request_closed", "This tool has no change waiting");
    const before = definitionOf(tool);
    const after = definitionOf(tool.pending as Record<string, unknown>);
    const updated = await tx.mcpTool.update({
      where: { id: toolId },
      data: { ...after, inputSchema: after.inputSchema as object, status: "trusted", pending: Prisma.DbNull },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "mcp.tool_accepted",
      targetType: "mcp_tool",
      targetId: toolId,
      before: { server: tool.server.name, name: tool.name, ...before },
      after: { server: tool.server.name, name: tool.name, ...after, fields: changedFields(before, after) },
    });
    return updated;
  });
}
