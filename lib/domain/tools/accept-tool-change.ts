import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { changedFields, definitionOf } from "./definition";

/**
 * An admin accepts a held tool's changed definition (or one rejected before): it is in force from now (audited with
 * before and after).
 */
export async function acceptToolChange(actor: Actor, meta: RequestMeta, toolId: string) {
  requireAdmin(actor);
  return inTransaction(async (tx) => {
    const tool = await lockReviewedTool(tx, toolId, ["held", "rejected"]);
    const before = definitionOf(tool);
    const after = definitionOf(tool.pending);
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

/** The tool locked for its review, with a change waiting in one of `statuses` (404, or 409 when there is none). */
export async function lockReviewedTool(tx: Tx, toolId: string, statuses: ("held" | "rejected")[]) {
  await tx.$executeRaw`SELECT 1 FROM mcp_tools WHERE id = ${toolId} FOR UPDATE`;
  const tool = await tx.mcpTool.findUnique({ where: { id: toolId }, include: { server: { select: { name: true } } } });
  if (!tool) throw notFound("Tool");
  if (!(statuses as string[]).includes(tool.status) || !tool.pending)
    throw conflict("request_closed", "This tool has no change waiting");
  return { ...tool, pending: tool.pending as Record<string, unknown> };
}
