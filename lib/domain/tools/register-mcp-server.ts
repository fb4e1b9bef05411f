import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, invalid } from "../errors";
import { maskUrl } from "../webhooks/mask-url";
import { outboundUrlProblem } from "../webhooks/outbound";
import { McpServerInputSchema } from "./schemas";

/** Registers an MCP server whose tools the catalog will govern (import them next). */
export async function registerMcpServer(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = McpServerInputSchema.parse(raw);
  const refused = input.url ? outboundUrlProblem(input.url) : null;
  if (refused) throw invalid(refused.title, { url: [refused.field] });
  return inTransaction(async (tx) => {
    if (await tx.mcpServer.findUnique({ where: { name: input.name }, select: { id: true } }))
      throw conflict("slug_taken", `An MCP server named ${input.name} is already registered`);
    const server = await tx.mcpServer.create({
      data: { name: input.name, url: input.url ?? null, description: input.description },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "mcp.server_registered",
      targetType: "mcp_server",
      targetId: server.id,
      after: { ...server, url: server.url && maskUrl(server.url) },
    });
    return { ...server, tools: [] };
  });
}
