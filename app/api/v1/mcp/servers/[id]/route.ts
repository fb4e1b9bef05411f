import { getMcpServer } from "@/lib/domain/tools/queries";
import { McpServerSchema } from "@/lib/domain/tools/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["tools"],
    summary: "One MCP server with its tools (held tools carry their pending definition)",
    params: { id: "Server id or name" },
    response: McpServerSchema,
  },
  async ({ actor, params }) => getMcpServer(actor, params.id),
);
