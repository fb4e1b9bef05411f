import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { lockReviewedTool } from "./accept-tool-change";
import { changedFields, definitionOf } from "./definition";
import { ToolReviewSchema } from "./schemas";

/**
 * An admin rejects a held tool's changed definition: the tool stays refused, no longer waiting for review (audited
 * with the definition rejected). It is in force again only when its server lists the accepted definition again; a
 * further change is held for review; the rejected one can still be accepted. `definitionDigest`: as for accepting.
 */
export async function rejectToolChange(actor: Actor, meta: RequestMeta, toolId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const { definitionDigest: seen } = ToolReviewSchema.parse(raw ?? {});
  return inTransaction(async (tx) => {
    const tool = await lockReviewedTool(tx, toolId, ["held"], seen);
    const accepted = definitionOf(tool);
    const rejected = definitionOf(tool.pending);
    const updated = await tx.mcpTool.update({ where: { id: toolId }, data: { status: "rejected" } });
    await writeAuditEvent(tx, actor, meta, {
      action: "mcp.tool_rejected",
      targetType: "mcp_tool",
      targetId: toolId,
      before: { server: tool.server.name, name: tool.name, ...rejected },
      after: {
        server: tool.server.name,
        name: tool.name,
        status: "rejected",
        fields: changedFields(accepted, rejected),
      },
    });
    return updated;
  });
}
