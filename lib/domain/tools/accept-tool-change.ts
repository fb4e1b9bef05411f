import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, notFound } from "../errors";
import { changedFields, definitionDigest, definitionOf } from "./definition";
import { ToolReviewSchema } from "./schemas";

/**
 * An admin accepts a held tool's changed definition (or one rejected before): it is in force from now (audited with
 * before and after). `definitionDigest`: the waiting definition as the admin saw it (refused if it changed since).
 */
export async function acceptToolChange(actor: Actor, meta: RequestMeta, toolId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { definitionDigest: seen } = ToolReviewSchema.parse(raw ?? {});
  return inTransaction(async (tx) => {
    const tool = await lockReviewedTool(tx, toolId, ["held", "rejected"], seen);
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

/**
 * The tool locked for its review, with a change waiting in one of `statuses` (404, or 409 when there is none), the
 * one the reviewer saw (`seen`, its digest; 409 when another waits now).
 */
export async function lockReviewedTool(
  tx: Tx,
  toolId: string,
  statuses: ("held" | "rejected")[],
  seen: string | undefined,
) {
  await tx.$executeRaw`SELECT 1 FROM mcp_tools WHERE id = ${toolId} FOR UPDATE`;
  const tool = await tx.mcpTool.findUnique({ where: { id: toolId }, include: { server: { select: { name: true } } } });
  if (!tool) throw notFound("Tool");
  if (!(statuses as string[]).includes(tool.status) || !tool.pending)
    throw conflict("request_closed", "This tool has no change waiting");
  // Reviewed as shown: a server that changed the tool again meanwhile does not get the new definition accepted.
  if (seen !== undefined && seen !== definitionDigest(tool.pending))
    throw conflict("tool_changed", "The tool's definition changed again since it was shown: review it again");
  return { ...tool, pending: tool.pending as Record<string, unknown> };
}
