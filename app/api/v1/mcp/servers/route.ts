import { listMcpServers } from "@/lib/domain/tools/queries";
import { registerMcpServer } from "@/lib/domain/tools/register-mcp-server";
import { McpServerInputSchema, McpServerSchema } from "@/lib/domain/tools/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["tools"],
    summary: "The tool catalog: MCP servers and their tools",
    response: itemsOf(McpServerSchema),
  },
  async ({ actor }) => ({ items: await listMcpServers(actor) }),
);

export const POST = personRoute(
  {
    tags: ["tools"],
    summary: "Register an MCP server (then import its tools)",
    body: McpServerInputSchema,
    response: McpServerSchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, body, meta }) => registerMcpServer(actor, meta, body),
);
