import { importMcpTools } from "@/lib/domain/tools/import-mcp-tools";
import { getMcpServer } from "@/lib/domain/tools/queries";
import { ImportSummarySchema, ImportToolsInputSchema } from "@/lib/domain/tools/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["tools"],
    summary: "Import tools: upload a tools/list result, or send {} to list them over MCP from the server's URL",
    description:
      "New tools join the catalog; a tool whose description, input schema or annotations changed is held (its calls are refused with tool_held) until an admin accepts the change (or rejects it: refused with tool_rejected; the same change listed again stays rejected); tools no longer listed are marked removed.",
    params: { id: "Server id or name" },
    body: ImportToolsInputSchema,
    response: ImportSummarySchema,
  },
  async ({ actor, params, body, meta }) => {
    const server = await getMcpServer(actor, params.id);
    return importMcpTools(actor, meta, server.id, body);
  },
);
